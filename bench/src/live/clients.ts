import { Worker } from 'node:worker_threads';
import type {
  ClientTally,
  ClientWorkerData,
  FromClientWorker,
  ToClientWorker,
} from './client-protocol.js';

/** Sockets each worker opens at once: the gateway authenticates each connection_init. */
const OPEN_CONCURRENCY = 50;

export interface OpenedClients {
  opened: number;
  failed: number;
  failures: string[];
  /** Starts the measured window in every worker (event-loop delay, closes). */
  measure(): void;
  /** Notifications received so far, over every socket. */
  received(): Promise<number>;
  /** Every socket's receipts, in the order of the tokens given. */
  collect(): Promise<ClientTally>;
  close(): Promise<void>;
}

function nextMessage<Type extends FromClientWorker['type']>(
  worker: Worker,
  type: Type,
): Promise<Extract<FromClientWorker, { type: Type }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromClientWorker) => {
      if (message.type !== type) return;
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve(message as Extract<FromClientWorker, { type: Type }>);
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
}

/**
 * Opens one socket per token, spread over `workers` threads (client-worker.ts), and resolves
 * once every socket is acknowledged or refused.
 */
export async function openClients(options: {
  url: string;
  query: string;
  tokens: string[];
  workers: number;
}): Promise<OpenedClients> {
  const share = Math.ceil(options.tokens.length / options.workers);
  const slices = Array.from({ length: options.workers }, (_, index) =>
    options.tokens.slice(index * share, (index + 1) * share),
  ).filter((slice) => slice.length > 0);
  const workers = slices.map((tokens) => {
    const workerData: ClientWorkerData = {
      url: options.url,
      query: options.query,
      tokens,
      openConcurrency: OPEN_CONCURRENCY,
    };
    return new Worker(new URL('./client-worker-entry.mjs', import.meta.url), { workerData });
  });
  const post = (message: ToClientWorker) => {
    for (const worker of workers) worker.postMessage(message);
  };
  const openings = await Promise.all(workers.map((worker) => nextMessage(worker, 'opened')));
  return {
    opened: openings.reduce((sum, one) => sum + one.opened, 0),
    failed: openings.reduce((sum, one) => sum + one.failed, 0),
    failures: openings.flatMap((one) => one.failures).slice(0, 5),
    measure: () => post({ type: 'measure' }),
    async received() {
      const pending = workers.map((worker) => nextMessage(worker, 'counted'));
      post({ type: 'count' });
      return (await Promise.all(pending)).reduce((sum, one) => sum + one.received, 0);
    },
    async collect() {
      const pending = workers.map((worker) => nextMessage(worker, 'collected'));
      post({ type: 'collect' });
      const tallies = (await Promise.all(pending)).map(({ tally }) => tally);
      const closes: Record<string, number> = {};
      for (const tally of tallies) {
        for (const [code, count] of Object.entries(tally.closes)) {
          closes[code] = (closes[code] ?? 0) + count;
        }
      }
      return {
        receipts: tallies.flatMap((tally) => tally.receipts),
        storedAt: tallies.flatMap((tally) => tally.storedAt),
        errorFrames: tallies.reduce((sum, tally) => sum + tally.errorFrames, 0),
        errorSamples: tallies.flatMap((tally) => tally.errorSamples).slice(0, 5),
        closes,
        duplicates: tallies.reduce((sum, tally) => sum + tally.duplicates, 0),
        eventLoopDelay: {
          p99Ms: Math.max(...tallies.map((tally) => tally.eventLoopDelay.p99Ms)),
          maxMs: Math.max(...tallies.map((tally) => tally.eventLoopDelay.maxMs)),
        },
      };
    },
    async close() {
      const pending = workers.map((worker) => nextMessage(worker, 'closed').catch(() => undefined));
      post({ type: 'close' });
      await Promise.race([
        Promise.all(pending),
        new Promise((resolve) => setTimeout(resolve, 15_000)),
      ]);
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
