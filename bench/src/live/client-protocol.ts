/** Messages between the live benchmark and its client worker threads (client-worker.ts). */

export interface ClientWorkerData {
  /** The gateway's graphql-ws address, `ws://.../graphql`. */
  url: string;
  query: string;
  /** One socket per entry, each of a distinct user. */
  tokens: string[];
  /** Sockets being opened at once. */
  openConcurrency: number;
}

/** From the main thread. */
export type ToClientWorker =
  { type: 'measure' } | { type: 'count' } | { type: 'collect' } | { type: 'close' };

/** What a worker saw on its sockets, per socket in the order of `tokens`. */
export interface ClientTally {
  /** Epoch ms of each notification a socket received, in arrival order. */
  receipts: number[][];
  /** Epoch ms of each received notification's `createdAt` (when it was stored), same order. */
  storedAt: number[][];
  /** `next` payloads with `errors`, and subscription `error` callbacks. */
  errorFrames: number;
  /** The first few error frames, for the report. */
  errorSamples: string[];
  /** Sockets closed by the server while measuring, by close code. */
  closes: Record<string, number>;
  /** Notifications whose cursor the socket had already received. */
  duplicates: number;
  /** The worker's event-loop delay while measuring: a busy client inflates latencies. */
  eventLoopDelay: { p99Ms: number; maxMs: number };
}

/** To the main thread. */
export type FromClientWorker =
  | { type: 'opened'; opened: number; failed: number; failures: string[] }
  | { type: 'counted'; received: number }
  | { type: 'collected'; tally: ClientTally }
  | { type: 'closed' };
