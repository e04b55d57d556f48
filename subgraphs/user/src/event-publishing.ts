import { setTimeout as delay } from 'node:timers/promises';
import type pg from 'pg';
import { createKafka, ensureEventTopics, startOutboxRelay } from '@platform/events';
import type { Logger } from '@platform/logger';
import { poolDatabase } from '@platform/postgres';
import { outboxStore } from './repositories/outbox.js';

export interface EventPublishing {
  /** Wakes the relay after a commit that wrote events, so they leave within milliseconds. */
  poke(): void;
  /** Stops relaying; events not yet published stay in the outbox for the next start. */
  stop(): Promise<void>;
}

const MAX_TOPIC_RETRY_MS = 5000;

/**
 * Relays the outbox to Kafka. Nothing here waits for Kafka: while it is unreachable the events
 * wait in the outbox, the relay retries with backoff, and the event topics are created in the
 * background once Kafka answers. The relay's polls are not counted in user_sql_queries_total,
 * which counts the statements requests cause.
 */
export function startEventPublishing(options: {
  pool: pg.Pool;
  brokers: string[];
  pollIntervalMs: number;
  logger: Logger;
}): EventPublishing {
  const logger = options.logger.child({ component: 'outbox-relay' });
  const kafka = createKafka('user-subgraph', options.brokers, logger);
  const stopping = new AbortController();
  const topicsReady = ensureTopicsInBackground(
    () => ensureEventTopics(kafka),
    logger,
    stopping.signal,
  );
  const relay = startOutboxRelay({
    kafka,
    store: outboxStore(poolDatabase(options.pool)),
    logger,
    pollIntervalMs: options.pollIntervalMs,
  });

  let stopped: Promise<void> | undefined;
  return {
    poke: () => relay.poke(),
    stop: () =>
      (stopped ??= (async () => {
        stopping.abort();
        await Promise.all([topicsReady, relay.stop()]);
      })()),
  };
}

/** Retries `ensureTopics` with backoff until it succeeds or `signal` aborts; never rejects. */
async function ensureTopicsInBackground(
  ensureTopics: () => Promise<void>,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      await ensureTopics();
      return;
    } catch (error) {
      if (signal.aborted) return;
      if (attempt === 1 || attempt % 20 === 0) {
        logger.warn({ err: error, attempt }, 'cannot create the event topics yet; retrying');
      }
      try {
        await delay(Math.min(MAX_TOPIC_RETRY_MS, 200 * 2 ** attempt), undefined, { signal });
      } catch {
        return; // aborted by stop()
      }
    }
  }
}
