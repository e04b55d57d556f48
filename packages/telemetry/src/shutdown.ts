/**
 * The running SDK, kept on globalThis rather than in a module variable: `register.ts` runs through
 * `--import` and the service imports this package again later, and the two must agree even if a
 * loader hands them different module instances.
 */
const RUNNING = Symbol.for('@platform/telemetry.running');

interface RunningTelemetry {
  shutdown(): Promise<void>;
}

type Holder = { [RUNNING]?: RunningTelemetry };

export function setRunningTelemetry(running: RunningTelemetry): void {
  (globalThis as Holder)[RUNNING] = running;
}

/**
 * Flushes the spans not yet exported and stops the SDK; part of every service's graceful stop
 * (runService), after the service itself has stopped. Does nothing when tracing is off.
 */
export async function shutdownTelemetry(): Promise<void> {
  const running = (globalThis as Holder)[RUNNING];
  if (!running) return;
  delete (globalThis as Holder)[RUNNING];
  await running.shutdown();
}
