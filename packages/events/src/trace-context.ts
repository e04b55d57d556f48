import { SpanKind, context, propagation, trace, type Context, type Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import {
  contextFromBinaryHeaders,
  contextFromCarrier,
  markFailed,
  spanContextOf,
  type TraceCarrier,
} from '@platform/telemetry';
import type { AnyEventEnvelope } from './envelope.js';

/**
 * Kafka spans, made here rather than by @opentelemetry/instrumentation-kafkajs: that one parents
 * every message of a send on the context active at `send()`, but the relay sends rows that many
 * earlier requests recorded, each of which must continue its own request's trace. So each
 * message gets a PRODUCER span whose parent is the trace context stored with its outbox row, and
 * the consumer continues each message's trace from its headers. Names and attributes follow the
 * OpenTelemetry messaging semantic conventions (`send <topic>`, `process <topic>`).
 */
const tracer = trace.getTracer('@platform/events');

const messagingAttributes = (topic: string, operation: 'send' | 'process') => ({
  'messaging.system': 'kafka',
  'messaging.destination.name': topic,
  'messaging.operation.type': operation,
  'messaging.operation.name': operation,
});

/** What the relay sends for one outbox entry. */
export interface OutgoingEvent {
  event: AnyEventEnvelope;
  /** The trace context of the request that recorded the event (stored with its outbox row). */
  traceContext?: TraceCarrier;
  topic: string;
  message: { key: string; headers: Record<string, string> };
}

/**
 * Starts a `send <topic>` span per outgoing event, child of the request that recorded it, and
 * writes the span's context into the message's headers (`traceparent`), so the consumer's span
 * joins the same trace. Call `end` once the send has settled.
 */
export function traceSends(outgoing: readonly OutgoingEvent[]): { end(error?: unknown): void } {
  const spans = outgoing.map(({ event, traceContext, topic, message }) => {
    const parent = contextFromCarrier(traceContext);
    const span = tracer.startSpan(
      `send ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          ...messagingAttributes(topic, 'send'),
          'messaging.message.id': event.id,
          'messaging.kafka.message.key': message.key,
          'platform.event.type': event.type,
        },
      },
      parent,
    );
    // The span's own context, whatever is active in the relay's loop.
    propagation.inject(trace.setSpan(parent, span), message.headers);
    return span;
  });
  return {
    end(error) {
      for (const span of spans) {
        if (error !== undefined) markFailed(span, error);
        span.end();
      }
    },
  };
}

/** Where a consumed message came from, for its `process <topic>` span. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  groupId: string;
  message: KafkaMessage;
}

function startProcessSpan({ topic, partition, groupId, message }: ConsumedMessage): Span {
  const eventId = message.headers?.['event-id']?.toString();
  return tracer.startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(topic, 'process'),
        'messaging.destination.partition.id': String(partition),
        'messaging.kafka.offset': Number(message.offset),
        'messaging.consumer.group.name': groupId,
        ...(eventId ? { 'messaging.message.id': eventId } : {}),
      },
    },
    contextFromBinaryHeaders(message.headers),
  );
}

async function ending<T>(spans: Span[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    for (const span of spans) markFailed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/** Handles one message in its `process <topic>` span, which continues the producer's trace. */
export function inProcessSpan<T>(consumed: ConsumedMessage, work: () => Promise<T>): Promise<T> {
  const span = startProcessSpan(consumed);
  return ending([span], () => context.with(trace.setSpan(context.active(), span), work));
}

/** The context of each event being handled in a batch, by event id (see eventTraceContext). */
const handling = new Map<string, Context>();

/**
 * The trace context an event is being handled in: its own `process` span, which continues the
 * trace of the request that caused it. A batch handler that publishes something per event (the
 * notification subgraph's Redis messages) passes it on with this. Undefined outside a handler.
 */
export function eventTraceContext(eventId: string): Context | undefined {
  return handling.get(eventId);
}

/**
 * Handles a slice of a partition's messages: a `process <topic>` span per message, each in its
 * producer's trace. The handler runs in the one message's span, or for several in a batch span
 * linked to each of them (messaging conventions for batch processing).
 */
export function inProcessSpans<T>(
  topic: string,
  partition: number,
  groupId: string,
  messages: readonly KafkaMessage[],
  work: () => Promise<T>,
): Promise<T> {
  const spans = messages.map((message) => startProcessSpan({ topic, partition, groupId, message }));
  const contexts = spans.map((span) => trace.setSpan(context.active(), span));
  messages.forEach((message, index) => {
    const eventId = message.headers?.['event-id']?.toString();
    if (eventId) handling.set(eventId, contexts[index]!);
  });
  const forget = () => {
    for (const message of messages) {
      const eventId = message.headers?.['event-id']?.toString();
      if (eventId) handling.delete(eventId);
    }
  };
  if (spans.length === 1) {
    return ending(spans, () => context.with(contexts[0]!, work)).finally(forget);
  }
  const links = contexts.flatMap((each) => {
    const spanContext = spanContextOf(each);
    return spanContext ? [{ context: spanContext }] : [];
  });
  const batch = tracer.startSpan(`process ${topic}`, {
    kind: SpanKind.CONSUMER,
    links,
    attributes: {
      ...messagingAttributes(topic, 'process'),
      'messaging.destination.partition.id': String(partition),
      'messaging.consumer.group.name': groupId,
      'messaging.batch.message_count': messages.length,
    },
  });
  return ending([batch, ...spans], () =>
    context.with(trace.setSpan(context.active(), batch), work),
  ).finally(forget);
}
