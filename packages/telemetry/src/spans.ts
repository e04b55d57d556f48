import {
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';

/** The tracer of one part of the platform, named after its package (`@platform/gateway`, ...). */
export const platformTracer = (name: string) => trace.getTracer(name);

/**
 * Runs `work` in an active span that ends when it settles; a rejection marks the span as failed
 * and records the exception. `work` can add attributes (an outcome known only at the end).
 */
export async function inSpan<T>(
  tracerName: string,
  name: string,
  options: SpanOptions & { parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { parent, ...spanOptions } = options;
  const run = async (span: Span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  };
  const tracer = platformTracer(tracerName);
  return parent === undefined
    ? tracer.startActiveSpan(name, spanOptions, run)
    : tracer.startActiveSpan(name, spanOptions, parent, run);
}

export function markFailed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

export type { Attributes, Context, Span };
