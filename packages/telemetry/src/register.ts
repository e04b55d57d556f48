/**
 * The entry every service is started with, before its own code:
 *
 *   node --import tsx --import @platform/telemetry/register src/main.ts
 *
 * (superviseServiceProcess adds it for `npm start` and the e2e tests' platform; the image does the
 * same with the compiled files). ES modules are linked before any of their code runs, so
 * instrumentation has to be in place before the service's first import: here, with the
 * import-in-the-middle loader hook (`@opentelemetry/instrumentation/hook.mjs`) registered through
 * `module.register`. The message channel limits the hook to the modules an instrumentation asked
 * for (pg, mongodb, ioredis, http, ...); every other module loads untouched.
 *
 * With tracing off (no endpoint or exporter set, or OTEL_SDK_DISABLED=true) this registers
 * nothing at all.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { startTracing } from './sdk.js';
import { loadTelemetrySettings, tracingEnabled } from './settings.js';

const settings = loadTelemetrySettings();
if (tracingEnabled(settings)) {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  startTracing(settings);
  await waitForAllMessagesAcknowledged();
}
