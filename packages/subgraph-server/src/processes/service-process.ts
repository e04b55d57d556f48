import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '@platform/logger';
import { RestartBackoff } from './restart-backoff.js';

export interface ServiceSpec {
  name: string;
  /** The workspace folder the service runs in. */
  cwd: string;
  /**
   * Node's arguments; default `SERVICE_NODE_ARGS`: the workspace's main through tsx, with
   * @platform/telemetry's loader hook first (see below).
   */
  args?: string[];
  /** Where it answers GET /health/ready (every service does, on its PORT). */
  port: number;
  env: NodeJS.ProcessEnv;
}

export interface SupervisionPolicy {
  /** Crashes in a row (each soon after its start) from which every restart is logged as an error. */
  crashLoopAfter: number;
  /** How long a started service has to answer /health/ready before that is logged as an error. */
  readyTimeoutMs: number;
  /** How long a stopping service has to exit after SIGTERM before it gets SIGKILL. */
  stopTimeoutMs: number;
}

export interface SupervisedService {
  readonly name: string;
  /** The pid of the running process, if one runs. */
  readonly pid: number | undefined;
  /** Starts the first process; resolves when it answers /health/ready (or readiness timed out). */
  start(): Promise<void>;
  /** No more restarts; SIGTERM (SIGKILL after stopTimeoutMs); resolves with whether it exited 0. */
  stop(): Promise<boolean>;
}

const READY_POLL_MS = 250;

/**
 * How every service process starts: tsx, then `@platform/telemetry/register` (the OpenTelemetry
 * SDK and its ES-module loader hook, which must be in place before the service's first import;
 * it does nothing while tracing is off), then the service's main.
 */
export const SERVICE_NODE_ARGS = [
  '--import',
  'tsx',
  '--import',
  '@platform/telemetry/register',
  'src/main.ts',
];

/**
 * One service of `npm start` (scripts/platform.ts), kept running: a process that exits while the platform is not
 * stopping is restarted after RestartBackoff's delay (the policy node:cluster workers use too),
 * each exit and restart logged. It never gives up: a service whose store is down for minutes
 * comes back by itself once the store does; past `crashLoopAfter` crashes in a row every restart
 * is logged at error level ("crash-looping"), so a bad setting is not mistaken for a hiccup.
 *
 * The process is `node --import tsx ... src/main.ts` (SERVICE_NODE_ARGS), not the tsx CLI: the
 * CLI runs the service in a child of its own, so the pid seen here would be a wrapper, and a
 * kill -9 of it would orphan the real service still holding its port. It runs in a process group of its own (`detached`) so a
 * Ctrl-C in the terminal reaches only the platform, which sends one SIGTERM to each service:
 * a service that got both the terminal's SIGINT and the platform's SIGTERM would take the second
 * signal for "exit now" and skip its graceful stop (leaving its consumer group among others).
 */
export function superviseServiceProcess(
  spec: ServiceSpec,
  logger: Logger,
  policy: SupervisionPolicy,
): SupervisedService {
  const log = logger.child({ managedService: spec.name });
  const backoff = new RestartBackoff();
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  let onExit: ((code: number | null) => void) | undefined;

  const launch = (): Promise<void> => {
    const startedAt = Date.now();
    const current = spawn(process.execPath, spec.args ?? SERVICE_NODE_ARGS, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    child = current;
    log.info({ pid: current.pid, port: spec.port }, 'service started');
    current.on('exit', (code, signal) => {
      if (child === current) child = undefined;
      if (stopping) {
        log.info({ pid: current.pid, code, signal }, 'service stopped');
        onExit?.(code);
        return;
      }
      const upMs = Date.now() - startedAt;
      const restartInMs = backoff.nextDelayMs(upMs);
      const details = {
        pid: current.pid,
        code,
        signal,
        upMs,
        crashesInARow: backoff.crashesInARow,
        restartInMs,
      };
      if (backoff.crashesInARow >= policy.crashLoopAfter) {
        log.error(details, 'service is crash-looping; still restarting it at the backoff delay');
      } else {
        log.warn(details, 'service exited unexpectedly; restarting it');
      }
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (!stopping) void launch();
      }, restartInMs);
    });
    return waitUntilReady(current, startedAt);
  };

  const waitUntilReady = async (current: ChildProcess, startedAt: number) => {
    const url = `http://127.0.0.1:${spec.port}/health/ready`;
    while (child === current && !stopping) {
      if (Date.now() - startedAt > policy.readyTimeoutMs) {
        log.error(
          { pid: current.pid, readyTimeoutMs: policy.readyTimeoutMs },
          'service is not ready in time; still waiting for it',
        );
        return;
      }
      const ready = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ready && child === current) {
        log.info({ pid: current.pid, startMs: Date.now() - startedAt }, 'service ready');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  };

  return {
    name: spec.name,
    get pid() {
      return child?.pid;
    },
    start: launch,
    stop: () => {
      stopping = true;
      clearTimeout(restartTimer);
      const current = child;
      if (!current) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const killTimer = setTimeout(() => {
          log.error(
            { pid: current.pid, stopTimeoutMs: policy.stopTimeoutMs },
            'service did not stop in time; killing it',
          );
          current.kill('SIGKILL');
        }, policy.stopTimeoutMs);
        onExit = (code) => {
          clearTimeout(killTimer);
          resolve(code === 0);
        };
        current.kill('SIGTERM');
      });
    },
  };
}
