import {
  context as contextApi,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type TextMapGetter,
} from '@opentelemetry/api';

/**
 * A trace context as text: `traceparent` (and `tracestate`, baggage) as W3C trace context
 * writes them. It travels where HTTP headers cannot: in a Kafka message's headers, in a Redis
 * message, in an outbox row that is published after the request that wrote it has ended.
 */
export type TraceCarrier = Record<string, string>;

/**
 * The carrier of `context` (default: the active one); undefined when it holds no sampled-or-not
 * span to continue (no trace, or tracing off: the API's no-op propagator writes nothing).
 */
export function traceCarrier(context: Context = contextApi.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context, carrier);
  return carrier.traceparent === undefined ? undefined : carrier;
}

/** The context a carrier names (ROOT_CONTEXT for none): the parent of the span that continues it. */
export function contextFromCarrier(carrier: TraceCarrier | undefined | null): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Values as Kafka (kafkajs `IHeaders`) hands them over: strings, Buffers, or lists of them. */
export type BinaryHeaders = Record<string, string | Buffer | Array<string | Buffer> | undefined>;

const binaryHeadersGetter: TextMapGetter<BinaryHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The context in a message's binary headers (Kafka's), ROOT_CONTEXT when there is none. */
export function contextFromBinaryHeaders(headers: BinaryHeaders | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, binaryHeadersGetter);
}

/** The span context a context carries, if it is a valid one (for span links). */
export function spanContextOf(context: Context) {
  const spanContext = trace.getSpanContext(context);
  return spanContext && trace.isSpanContextValid(spanContext) ? spanContext : undefined;
}
