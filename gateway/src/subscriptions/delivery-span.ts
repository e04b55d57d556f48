import { SpanKind } from '@opentelemetry/api';
import type { LiveMessage } from '@platform/realtime';
import { contextFromCarrier, inSpan, type Span } from '@platform/telemetry';

/** What became of one live message on one subscription (`platform.delivery.outcome`). */
export type DeliveryOutcome = 'sent' | 'not_visible' | 'already_sent' | 'outbox_full';

/**
 * The delivery of one live message to one subscriber, as a span of the trace its publisher
 * started (the message's trace context: the notification's event, back to the request that
 * caused it): `gateway.subscription.deliver`, covering the resolution through the supergraph
 * (its subgraph fetches are children) up to the frame handed to the socket.
 */
export function inDeliverySpan<T>(
  channel: string,
  message: LiveMessage,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return inSpan(
    '@platform/gateway',
    'gateway.subscription.deliver',
    {
      kind: SpanKind.CONSUMER,
      parent: contextFromCarrier(message.traceContext),
      attributes: {
        'messaging.system': 'redis',
        'messaging.destination.name': channel,
        'messaging.operation.type': 'process',
        'platform.live.id': message.id,
        'platform.live.cursor': message.cursor,
      },
    },
    work,
  );
}

export function deliveryOutcome(span: Span, outcome: DeliveryOutcome): void {
  span.setAttribute('platform.delivery.outcome', outcome);
}
