import cluster from 'node:cluster';
import type { Logger } from '@platform/logger';
import { shutdownTelemetry } from '@platform/telemetry';
import { runUntilSignalled } from '../run-until-signalled.js';
import { superviseWorkers } from './supervise-workers.js';

export interface RunningService {
  /** Stops accepting, drains what is in flight, closes the stores. */
  stop: () => Promise<void>;
}

export interface RunServiceOptions {
  logger: Logger;
  /** WORKER_PROCESSES: 1 serves in this process; N > 1 forks N node:cluster workers. */
  workerProcesses: number;
  /** Starts the whole service (HTTP and whatever else it runs) in the calling process. */
  start: () => Promise<RunningService>;
  /** How long a worker's own stop may take (its primary waits a little longer). */
  graceMs?: number;
}

/**
 * The one way every service's main runs, gateway and subgraphs alike.
 *
 * With WORKER_PROCESSES=1 the service runs here until SIGTERM/SIGINT, as before. With N > 1 this
 * process becomes a node:cluster primary that runs no service of its own: it forks N workers,
 * each running `start()` in full and listening on the same host:port (the primary accepts the
 * connections and hands them to the workers round-robin, node's default on Linux), replaces a
 * worker that dies with backoff, and on SIGTERM/SIGINT forwards the signal so every worker stops
 * gracefully, then exits. Each worker is the same process a single-process service is, so
 * whatever the service runs besides HTTP runs N times; every service says in its subgraph.ts /
 * server.ts why that is correct (shared stores, Kafka consumer groups, per-process sockets).
 */
export async function runService({
  logger,
  workerProcesses,
  start,
  graceMs = 10_000,
}: RunServiceOptions): Promise<void> {
  if (workerProcesses > 1 && cluster.isPrimary) {
    const supervisor = superviseWorkers({
      logger,
      count: workerProcesses,
      fork: (slot) => cluster.fork({ WORKER_SLOT: String(slot) }),
    });
    runUntilSignalled(logger, supervisor.stop, {
      // The workers time out on their own first; then the primary kills what is left.
      graceMs: graceMs + 2_000,
      beforeForcedExit: supervisor.kill,
    });
    return;
  }
  const service = await start();
  // The spans of the last requests are flushed once the service has drained them.
  const stop = async () => {
    await service.stop();
    await shutdownTelemetry();
  };
  runUntilSignalled(logger, stop, {
    graceMs,
    repeatedSignal: cluster.isWorker ? 'ignore' : 'exit',
  });
}
