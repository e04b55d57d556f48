import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { eventTraceContext } from '@platform/events';
import { markFailed, traceCarrier, type TraceCarrier } from '@platform/telemetry';

const tracer = trace.getTracer('@platform/notification-subgraph');

/**
 * A `publish <channel>` span (messaging conventions, system redis) per notification published,
 * child of the `process` span of the event that caused it, so the gateway's delivery of it joins
 * the trace of the request behind the event. `traceContext` goes into the message.
 */
export function startPublishSpan(
  channel: string,
  eventId: string | undefined,
): { span: Span; traceContext: TraceCarrier | undefined } {
  const parent = (eventId && eventTraceContext(eventId)) || context.active();
  const span = tracer.startSpan(
    `publish ${channel}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'redis',
        'messaging.destination.name': channel,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        ...(eventId ? { 'platform.event.id': eventId } : {}),
      },
    },
    parent,
  );
  return { span, traceContext: traceCarrier(trace.setSpan(parent, span)) };
}

/** Ends publish spans once their command settled. */
export function endPublishSpans(spans: readonly Span[], error?: unknown): void {
  for (const span of spans) {
    if (error !== undefined) markFailed(span, error);
    span.end();
  }
}
