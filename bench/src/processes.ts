import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tsxLoader } from './paths.js';

export interface ServiceSpec {
  name: string;
  /** The working directory (a workspace, so tsx finds its tsconfig). */
  cwd: string;
  /** The TypeScript entry point, relative to cwd or absolute. */
  entry: string;
  /** Added to this process's environment. */
  env: Record<string, string>;
  port: number;
  /** Resolves true once the service can serve; polled until then. */
  isReady: (baseUrl: string) => Promise<boolean>;
  /** Where the service's stdout and stderr go. */
  logDir: string;
  readyTimeoutMs?: number;
}

export interface ServiceProcess {
  name: string;
  pid: number;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  logFile: string;
  /** Peak resident set size so far (VmHWM), in bytes; undefined where /proc is absent. */
  peakMemoryBytes(): number | undefined;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Every service started and not yet stopped, so an interrupted run can stop them all. */
const running = new Set<ServiceProcess>();

export async function stopAllServices(): Promise<void> {
  await Promise.all([...running].map((service) => service.stop()));
}

/** GET `path` answers 2xx: the readiness check of every platform process. */
export const answersGet =
  (pathname: string) =>
  async (baseUrl: string): Promise<boolean> => {
    const response = await fetch(new URL(pathname, baseUrl));
    await response.arrayBuffer();
    return response.ok;
  };

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function logTail(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** VmHWM of a live process, from /proc (Linux). */
export function peakResidentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one TypeScript service as its own Node process (`node --import tsx <entry>`, so the pid is
 * the service itself and its /proc memory figures are its own), logs to `<logDir>/<name>.log`,
 * and resolves once `isReady` says so. A process that exits or never gets ready fails with the
 * end of its log.
 */
export async function startService(spec: ServiceSpec): Promise<ServiceProcess> {
  const logFile = path.join(spec.logDir, `${spec.name}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', tsxLoader, spec.entry], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(spec.port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const done = exited(child);
  const pid = child.pid ?? -1;

  const service: ServiceProcess = {
    name: spec.name,
    pid,
    baseUrl: `http://127.0.0.1:${spec.port}`,
    logFile,
    peakMemoryBytes: () => peakResidentBytes(pid),
    stop: async (graceMs = 15_000) => {
      if (pid > 0 && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await done;
        clearTimeout(timer);
      }
      running.delete(service);
    },
  };
  running.add(service);

  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (spawnError) {
      running.delete(service);
      throw new Error(`${spec.name} did not start: ${spawnError.message}`);
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      running.delete(service);
      throw new Error(
        `${spec.name} exited (${child.signalCode ?? child.exitCode}) before it was ready; ` +
          `${logFile}:\n${logTail(logFile)}`,
      );
    }
    if (await spec.isReady(service.baseUrl).catch(() => false)) return service;
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`${spec.name} was not ready in time; ${logFile}:\n${logTail(logFile)}`);
    }
    await sleep(200);
  }
}
