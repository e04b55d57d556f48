import { context, trace } from '@opentelemetry/api';

/**
 * The pino mixin of every logger: `trace_id` and `span_id` of the span active where the line is
 * logged, so a log line leads to its trace (and back). Nothing when no span is active or tracing
 * is off (the API's default context holds none).
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
