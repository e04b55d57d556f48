import { NodeSDK } from '@opentelemetry/sdk-node';
import { platformInstrumentations } from './instrumentations.js';
import type { TelemetrySettings } from './settings.js';
import { defaultServiceName } from './service-name.js';
import { setRunningTelemetry } from './shutdown.js';

/**
 * Starts the NodeSDK for this process's traces. Everything about export comes from the standard
 * variables, read by the SDK itself: the exporter (OTEL_TRACES_EXPORTER, default otlp), its
 * endpoint and protocol (OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT / _PROTOCOL: grpc, http/protobuf or
 * http/json), the sampler (OTEL_TRACES_SAMPLER[_ARG]), the batch processor (OTEL_BSP_*), resource
 * attributes and the propagators (OTEL_PROPAGATORS, default W3C trace context and baggage).
 * Metrics stay with prom-client (`/metrics`) and logs with pino on stdout, so the SDK's own metric
 * and log pipelines are not started.
 */
export function startTracing(settings: TelemetrySettings): NodeSDK {
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, wins: the SDK reads it itself.
    serviceName: settings.OTEL_SERVICE_NAME ? undefined : defaultServiceName(),
    instrumentations: platformInstrumentations(),
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  setRunningTelemetry(sdk);
  return sdk;
}
