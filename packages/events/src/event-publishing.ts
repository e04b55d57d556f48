import type { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { anyBrokerListening } from './broker-probe.js';
import { createKafka } from './kafka-client.js';
import type { KafkaSecurity } from './kafka-connection.js';
import { registerOutboxMetrics } from './outbox-metrics.js';
import { startOutboxRelay, type OutboxStore } from './outbox-relay.js';
import { ensureEventTopics } from './topics-admin.js';

export interface EventPublishing {
  /** Publishes now rather than at the next poll (after a write enqueued an event). */
  poke(): void;
  stop(): Promise<void>;
}

const MAX_TOPIC_RETRY_MS = 10_000;

/**
 * A service's outbox, published to Kafka. Start-up never waits for Kafka: the event topics are
 * created in the background, retried until Kafka answers, and nothing is published before they
 * exist (a topic the broker created on first use would get the broker's defaults, not ours).
 * Meanwhile, and whenever Kafka is down, events wait in the outbox.
 */
export function startEventPublishing(options: {
  /** Names the Kafka client, e.g. 'user-subgraph'. */
  clientId: string;
  brokers: string[];
  /** TLS and SASL (`kafkaSecurity(config)`); default: plaintext. */
  security?: KafkaSecurity;
  pollIntervalMs: number;
  store: OutboxStore;
  logger: Logger;
  /** The service's registry: the outbox's backlog, age and publications (`events_outbox_*`). */
  metrics?: Registry;
}): EventPublishing {
  const logger = options.logger.child({ component: 'outbox-relay' });
  const kafka = createKafka(options.clientId, options.brokers, logger, options.security);
  let running = true;
  let topicsReady = false;
  let wakeTopics: (() => void) | undefined;
  const metrics = options.metrics
    ? registerOutboxMetrics(options.metrics, options.store.backlog?.bind(options.store))
    : undefined;

  const relay = startOutboxRelay({
    kafka,
    logger,
    pollIntervalMs: options.pollIntervalMs,
    store: {
      pending: async (limit) => (topicsReady ? options.store.pending(limit) : []),
      markPublished: async (ids) => {
        await options.store.markPublished(ids);
        metrics?.published(ids.length);
      },
    },
  });

  const topics = (async () => {
    for (let attempt = 1; running; attempt++) {
      try {
        if (!(await anyBrokerListening(options.brokers))) {
          throw new Error(`no Kafka broker of ${options.brokers.join(',')} accepts connections`);
        }
        await ensureEventTopics(kafka);
        topicsReady = true;
        relay.poke();
        return;
      } catch (error) {
        if (!running) return;
        if (attempt === 1 || attempt % 10 === 0) {
          logger.warn({ err: error, attempt }, 'cannot create the event topics yet; retrying');
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(MAX_TOPIC_RETRY_MS, 250 * 2 ** attempt));
          wakeTopics = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  })();

  return {
    poke: () => relay.poke(),
    async stop() {
      running = false;
      wakeTopics?.();
      await Promise.all([relay.stop(), topics]);
    },
  };
}
