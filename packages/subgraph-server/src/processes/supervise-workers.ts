import type { Worker } from 'node:cluster';
import type { Logger } from '@platform/logger';
import { RestartBackoff } from './restart-backoff.js';

export interface WorkerSupervisor {
  /** Sends every worker SIGTERM and resolves once all have exited (rejects if one failed to). */
  stop: () => Promise<void>;
  /** SIGKILL to every worker still running: the last resort of a stop that hangs. */
  kill: () => void;
}

/**
 * Keeps `count` worker processes running, one per slot (1..count): a worker that exits while the
 * service is not stopping is replaced after a delay that doubles with each death of its slot in a
 * row (RestartBackoff: 500 ms up to 30 s), so a worker that cannot start does not spin.
 */
export function superviseWorkers({
  logger,
  count,
  fork,
}: {
  logger: Logger;
  count: number;
  fork: (slot: number) => Worker;
}): WorkerSupervisor {
  const live = new Map<Worker, { slot: number; startedAt: number }>();
  const backoffs = new Map<number, RestartBackoff>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  let stopping = false;
  let uncleanExits = 0;
  let onLastExit: (() => void) | undefined;

  const startWorker = (slot: number) => {
    const worker = fork(slot);
    live.set(worker, { slot, startedAt: Date.now() });
    worker.on('exit', (code, signal) => onExit(worker, code, signal));
  };

  const onExit = (worker: Worker, code: number | null, signal: string | null) => {
    const { slot, startedAt } = live.get(worker)!;
    live.delete(worker);
    if (stopping) {
      if (code !== 0) uncleanExits++;
      if (live.size === 0) onLastExit?.();
      return;
    }
    let backoff = backoffs.get(slot);
    if (!backoff) backoffs.set(slot, (backoff = new RestartBackoff()));
    const restartInMs = backoff.nextDelayMs(Date.now() - startedAt);
    logger.warn(
      { slot, pid: worker.process.pid, code, signal, restartInMs },
      'worker process exited unexpectedly; starting another',
    );
    const timer = setTimeout(() => {
      pendingRestarts.delete(timer);
      if (!stopping) startWorker(slot);
    }, restartInMs);
    pendingRestarts.add(timer);
  };

  for (let slot = 1; slot <= count; slot++) startWorker(slot);
  logger.info({ workers: count, primaryPid: process.pid }, 'started worker processes');

  return {
    stop: () =>
      new Promise<void>((resolve, reject) => {
        stopping = true;
        for (const timer of pendingRestarts) clearTimeout(timer);
        pendingRestarts.clear();
        const settle = () =>
          uncleanExits > 0
            ? reject(new Error(`${uncleanExits} worker process(es) did not stop cleanly`))
            : resolve();
        if (live.size === 0) return settle();
        onLastExit = settle;
        // SIGTERM whichever signal the primary got: each worker then drains and stops on its own.
        for (const worker of live.keys()) worker.process.kill('SIGTERM');
      }),
    kill: () => {
      for (const worker of live.keys()) worker.process.kill('SIGKILL');
    },
  };
}
