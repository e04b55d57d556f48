import { z } from 'zod';
import { loadConfig } from '@platform/config';

const protocol = z.enum(['grpc', 'http/protobuf', 'http/json']).optional();
const flag = z
  .enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False', ''])
  .optional()
  .transform((value) => value?.toLowerCase() === 'true');

/**
 * The standard OTEL_* variables this package decides on. The SDK reads them (and every other
 * OTEL_* variable: OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*, ...) itself; they are
 * validated here once so a typo stops the process with the variable's name instead of silently
 * exporting nowhere.
 */
export const telemetrySettings = z.object({
  /** `true`: no tracing, whatever else is set. */
  OTEL_SDK_DISABLED: flag,
  /**
   * Comma-separated trace exporters (`otlp`, `console`, `zipkin`); naming one turns tracing on,
   * `none` keeps it off. Unset: `otlp` once an endpoint is set.
   */
  OTEL_TRACES_EXPORTER: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['otlp', 'console', 'zipkin', 'none']))),
  /** The OTLP collector's base URL (`/v1/traces` is appended); unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The full URL traces are posted to; also turns tracing on. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** How spans are sent to the collector; unset: `http/protobuf`. */
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  /** The protocol for traces only, over OTEL_EXPORTER_OTLP_PROTOCOL. */
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  /**
   * The `service.name` of this process's spans; unset: its workspace's package name without
   * `@platform/` (`gateway`, `user-subgraph`, ...).
   */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

export type TelemetrySettings = z.infer<typeof telemetrySettings>;

export function loadTelemetrySettings(source: NodeJS.ProcessEnv = process.env): TelemetrySettings {
  return loadConfig(telemetrySettings, source);
}

/**
 * Tracing is off unless asked for: an OTLP endpoint, or an exporter named in OTEL_TRACES_EXPORTER
 * (`none` keeps it off), and never with OTEL_SDK_DISABLED=true. Off means no SDK, no loader hook
 * and no instrumentation at all: `@opentelemetry/api` then hands out no-op tracers.
 */
export function tracingEnabled(settings: TelemetrySettings): boolean {
  if (settings.OTEL_SDK_DISABLED) return false;
  const exporters = settings.OTEL_TRACES_EXPORTER;
  if (exporters.includes('none')) return false;
  return (
    exporters.length > 0 ||
    settings.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined ||
    settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined
  );
}
