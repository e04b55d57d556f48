import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';

export interface RecordingTracer {
  /** The spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** Unregisters everything, so the rest of the test file runs untraced again. */
  stop(): Promise<void>;
}

/**
 * The real OpenTelemetry SDK registered in this test's process (what `@platform/telemetry` starts
 * in a service), recording ended spans in memory: for unit tests of what a component traces and
 * propagates. W3C trace context, as the services use.
 */
export function recordingTracer(): RecordingTracer {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    spans: () => exporter.getFinishedSpans(),
    stop: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
