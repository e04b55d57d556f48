export {
  contextFromBinaryHeaders,
  contextFromCarrier,
  spanContextOf,
  traceCarrier,
  type BinaryHeaders,
  type TraceCarrier,
} from './propagation.js';
export { inSpan, markFailed, type Span } from './spans.js';
export { shutdownTelemetry } from './shutdown.js';
