import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '@platform/logger';
import type { TraceCarrier } from '@platform/telemetry';
import { toKafkaMessage, type AnyEventEnvelope } from './envelope.js';
import { produceRequests } from './produce-requests.js';
import { traceSends } from './trace-context.js';

/**
 * Where a service keeps events it has committed but not yet published. The write that changes
 * state records its event in the same atomic write (a row in the same transaction, or an entry
 * in the same document), so an event exists exactly when its change does, whether or not Kafka
 * is up at that moment.
 */
export interface OutboxStore {
  /**
   * Oldest unpublished events first, at most `limit`, each with the trace context of the request
   * that recorded it (`traceCarrier()` of @platform/telemetry, stored with the event), if any.
   */
  pending: (
    limit: number,
  ) => Promise<Array<{ outboxId: string; event: AnyEventEnvelope; traceContext?: TraceCarrier }>>;
  markPublished: (outboxIds: string[]) => Promise<void>;
  /** How many events wait and since when, for the metrics (`events_outbox_*`). */
  backlog?: () => Promise<OutboxBacklog>;
}

/** What the outbox holds unpublished. */
export interface OutboxBacklog {
  pending: number;
  /** When the oldest unpublished event was committed; undefined when none waits. */
  oldestCreatedAt: Date | undefined;
}

export interface OutboxRelay {
  /** Wakes the relay now (after a write) instead of at its next poll. */
  poke: () => void;
  stop: () => Promise<void>;
}

const BATCH = 100;
const MAX_BACKOFF_MS = 5000;

/**
 * Publishes outbox events to Kafka, then marks them published: at least once (a crash between
 * the two publishes again; consumers are idempotent by event id). While Kafka is down the events
 * wait in the outbox and the relay retries with backoff.
 */
export function startOutboxRelay(options: {
  kafka: Kafka;
  store: OutboxStore;
  logger: Logger;
  pollIntervalMs?: number;
}): OutboxRelay {
  const { kafka, store, logger } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  let producer: Producer | undefined;
  let running = true;
  let wake: (() => void) | undefined;
  let pokedWhileBusy = false;
  let failures = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const publishBatch = async (): Promise<number> => {
    const batch = await store.pending(BATCH);
    if (batch.length === 0) return 0;
    if (!producer) {
      // Not kafkajs's idempotent mode: delivery is at least once by design (consumers dedupe by
      // event id), and this loop owns the retrying, so kafkajs gives up quickly.
      const candidate = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 2 },
      });
      await candidate.connect();
      producer = candidate;
    }
    const outgoing = batch.map(({ event, traceContext }) => ({
      event,
      traceContext,
      ...toKafkaMessage(event),
    }));
    // Each message continues the trace of the request that recorded its event.
    const sends = traceSends(outgoing);
    try {
      // Sends under the broker's size limit, one after another (see produce-requests.ts).
      for (const topicMessages of produceRequests(outgoing)) {
        await producer.sendBatch({ acks: -1, topicMessages });
      }
    } catch (error) {
      sends.end(error);
      throw error;
    }
    sends.end();
    await store.markPublished(batch.map(({ outboxId }) => outboxId));
    return batch.length;
  };

  const loop = (async () => {
    while (running) {
      try {
        pokedWhileBusy = false;
        const published = await publishBatch();
        if (failures > 0) logger.info({ afterFailures: failures }, 'outbox relay recovered');
        failures = 0;
        if (published < BATCH && !pokedWhileBusy) await sleep(pollIntervalMs);
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0) {
          logger.warn(
            { err: error, failures },
            'outbox relay cannot publish; events wait in the outbox',
          );
        }
        await producer?.disconnect().catch(() => undefined);
        producer = undefined;
        await sleep(Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(failures, 5)));
      }
    }
  })();

  return {
    poke: () => {
      pokedWhileBusy = true;
      wake?.();
    },
    stop: async () => {
      running = false;
      wake?.();
      await loop;
      await producer?.disconnect();
    },
  };
}
