export {
  contextFromBinaryHeaders,
  contextFromCarrier,
  spanContextOf,
  traceCarrier,
  type BinaryHeaders,
  type TraceCarrier,
} from './propagation.js';
export {
  inSpan,
  markFailed,
  platformTracer,
  type Attributes,
  type Context,
  type Span,
} from './spans.js';
export { shutdownTelemetry, telemetryRunning } from './shutdown.js';
export {
  loadTelemetrySettings,
  telemetrySettings,
  tracingEnabled,
  type TelemetrySettings,
} from './settings.js';
