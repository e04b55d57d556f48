/**
 * A client worker thread of the live benchmark: holds its share of the sockets (graphql-ws, one
 * `notificationAdded` subscription each), timestamps every notification as it arrives and hands
 * the tally to the main thread. Spread over threads so one event loop is not what limits a cell.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type {
  ClientTally,
  ClientWorkerData,
  FromClientWorker,
  ToClientWorker,
} from './client-protocol.js';

const data = workerData as ClientWorkerData;
const port = parentPort!;
const send = (message: FromClientWorker) => port.postMessage(message);

const MAX_ERROR_SAMPLES = 5;
const receipts: number[][] = data.tokens.map(() => []);
const storedAt: number[][] = data.tokens.map(() => []);
const seenCursors: Array<Set<string>> = data.tokens.map(() => new Set());
const closes: Record<string, number> = {};
const errorSamples: string[] = [];
let errorFrames = 0;
let duplicates = 0;
let received = 0;
let measuring = false;
let closing = false;

function noteError(what: unknown) {
  errorFrames += 1;
  if (errorSamples.length < MAX_ERROR_SAMPLES) {
    errorSamples.push(what instanceof Error ? what.message : JSON.stringify(what).slice(0, 300));
  }
}

function openOne(token: string, index: number): Promise<{ client: Client; error?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const client = createClient({
      url: data.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
      // The server pings; the client only answers.
      keepAlive: 0,
      on: {
        connected: () => {
          if (settled) return;
          settled = true;
          resolve({ client });
        },
        closed: (event) => {
          const code = String((event as { code?: number }).code ?? 'unknown');
          if (!settled) {
            settled = true;
            resolve({ client, error: `closed ${code} before connection_ack` });
          } else if (measuring && !closing) {
            closes[code] = (closes[code] ?? 0) + 1;
          }
        },
        error: (error) => {
          if (settled) return;
          settled = true;
          resolve({ client, error: error instanceof Error ? error.message : 'socket error' });
        },
      },
    });
    client.subscribe(
      { query: data.query },
      {
        next: (result) => {
          const at = performance.timeOrigin + performance.now();
          if (result.errors) noteError(result.errors);
          const notification = result.data?.notificationAdded as
            { cursor?: string; createdAt?: string } | undefined;
          if (!notification) return;
          const cursor = notification.cursor ?? '';
          if (seenCursors[index]!.has(cursor)) {
            duplicates += 1;
            return;
          }
          seenCursors[index]!.add(cursor);
          receipts[index]!.push(at);
          storedAt[index]!.push(Date.parse(notification.createdAt ?? '') || at);
          received += 1;
        },
        error: (error) => {
          if (!closing) noteError(error);
        },
        complete: () => {},
      },
    );
  });
}

const clients: Client[] = [];
const failures: string[] = [];
let failed = 0;
let next = 0;
async function opener() {
  while (next < data.tokens.length) {
    const index = next++;
    const outcome = await openOne(data.tokens[index]!, index);
    clients.push(outcome.client);
    if (outcome.error) {
      failed += 1;
      if (failures.length < MAX_ERROR_SAMPLES) failures.push(outcome.error);
    }
  }
}
await Promise.all(Array.from({ length: data.openConcurrency }, opener));
send({ type: 'opened', opened: data.tokens.length - failed, failed, failures });

const delay = monitorEventLoopDelay({ resolution: 10 });

port.on('message', (message: ToClientWorker) => {
  switch (message.type) {
    case 'measure':
      measuring = true;
      delay.reset();
      delay.enable();
      return;
    case 'count':
      send({ type: 'counted', received });
      return;
    case 'collect': {
      delay.disable();
      const tally: ClientTally = {
        receipts,
        storedAt,
        errorFrames,
        errorSamples,
        closes,
        duplicates,
        eventLoopDelay: {
          p99Ms: delay.count > 0 ? delay.percentile(99) / 1e6 : 0,
          maxMs: delay.count > 0 ? delay.max / 1e6 : 0,
        },
      };
      send({ type: 'collected', tally });
      return;
    }
    case 'close':
      closing = true;
      void Promise.all(clients.map((client) => client.dispose())).finally(() =>
        send({ type: 'closed' }),
      );
      return;
  }
});
