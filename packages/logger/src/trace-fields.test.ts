import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { recordingTracer, type RecordingTracer } from '@platform/testing';
import { createLogger } from './index.js';

/** A real logger whose JSON lines are kept instead of written. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('test', {
    hooks: {
      streamWrite: (line) => {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        return '';
      },
    },
  });
  return { logger, lines };
}

describe('log lines carry the active span', () => {
  let tracer: RecordingTracer;
  beforeAll(() => {
    tracer = recordingTracer();
  });
  afterAll(() => tracer.stop());

  it('adds trace_id and span_id of the span active where the line is logged', () => {
    const { logger, lines } = capturingLogger();
    const span = trace.getTracer('test').startActiveSpan('work', (active) => {
      logger.child({ requestId: 'r1' }).info('inside');
      active.end();
      return active;
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'inside',
      requestId: 'r1',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
  });

  it('adds no trace fields to a line logged outside any span', () => {
    const { logger, lines } = capturingLogger();
    logger.info('outside');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });
});
