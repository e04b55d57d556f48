import { describe, expect, it } from '@jest/globals';
import { loadTelemetrySettings, tracingEnabled } from './settings.js';

const enabled = (env: NodeJS.ProcessEnv) => tracingEnabled(loadTelemetrySettings(env));

describe('whether a service traces', () => {
  it('is off when no OTEL variable asks for it', () => {
    expect(enabled({})).toBe(false);
    expect(enabled({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toBe(false);
  });

  it('is on with an OTLP endpoint, for all signals or for traces only', () => {
    expect(enabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(enabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(
      true,
    );
  });

  it('is on with an exporter named, and off with none', () => {
    expect(enabled({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(
      enabled({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBe(false);
  });

  it('is off with OTEL_SDK_DISABLED=true whatever else is set', () => {
    expect(
      enabled({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBe(false);
  });

  it('refuses a malformed setting, naming the variable', () => {
    expect(() => loadTelemetrySettings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL/,
    );
    expect(() => loadTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => loadTelemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp,jaegre' })).toThrow(
      /OTEL_TRACES_EXPORTER/,
    );
  });
});
