import { z } from 'zod';

/** A feature's variables in a module of their own, spread into the service's schema. */
export const telemetrySettings = {
  /** Where spans are exported; unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** Whether the SDK starts at all. */
  OTEL_SDK_ENABLED: z.stringbool().default(true),
};
