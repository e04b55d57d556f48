import type { Admin, Kafka } from 'kafkajs';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { consumerLag } from './consumer-lag.js';

interface LagReading {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

interface LagSource {
  read(): Promise<LagReading[]>;
}

/** The metrics every consumer of one registry shares (a process may run several groups). */
interface RegistryConsumerMetrics {
  deadLetters: Counter<'group' | 'topic'>;
  lagSources: Set<LagSource>;
}

const byRegistry = new WeakMap<Registry, RegistryConsumerMetrics>();

/** A scrape waits at most this long for Kafka; past it the last reading is served. */
const LAG_READ_TIMEOUT_MS = 2_000;

function consumerMetricsOf(registry: Registry): RegistryConsumerMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const lagSources = new Set<LagSource>();
  new Gauge({
    name: 'events_consumer_lag_messages',
    help: "Messages a consumer group has not committed yet per partition: the partition's high watermark minus the group's committed offset",
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    // Read at scrape time: the group's committed offsets and the topics' high watermarks.
    async collect() {
      const readings = (await Promise.all([...lagSources].map((source) => source.read()))).flat();
      this.reset();
      for (const { group, topic, partition, lag } of readings) {
        this.set({ group, topic, partition: String(partition) }, lag);
      }
    },
  });
  const metrics: RegistryConsumerMetrics = {
    deadLetters: new Counter({
      name: 'events_dead_letters_total',
      help: 'Messages a consumer group sent to the dead-letter topic, by the topic they came from',
      labelNames: ['group', 'topic'],
      registers: [registry],
    }),
    lagSources,
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

export interface ConsumerObservation {
  /** Counts messages of `topic` sent to the dead-letter topic. */
  deadLettered(topic: string, count: number): void;
  /** Stops reading this group's lag (its series leave the next scrape); closes the admin client. */
  stop(): Promise<void>;
}

/**
 * A consumer group's metrics on `registry`: its dead letters, and its lag per partition, read
 * from Kafka when /metrics is scraped (kafkajs admin: the group's committed offsets and each
 * topic's high watermark), so the lag is the broker's view and is right even while the consumer
 * is stuck or rebalancing. A read slower than LAG_READ_TIMEOUT_MS, or failing (Kafka down), serves
 * the last one.
 */
export function observeConsumer(
  registry: Registry,
  options: {
    kafka: Kafka;
    groupId: string;
    topics: readonly string[];
    fromBeginning: boolean;
    logger: Logger;
  },
): ConsumerObservation {
  const { kafka, groupId, topics, fromBeginning, logger } = options;
  const metrics = consumerMetricsOf(registry);
  for (const topic of topics) metrics.deadLetters.inc({ group: groupId, topic }, 0);

  let admin: Admin | undefined;
  let connected: Promise<void> | undefined;
  let last: LagReading[] = [];
  let inFlight: Promise<LagReading[]> | undefined;
  let failures = 0;

  const readFromKafka = async (): Promise<LagReading[]> => {
    admin ??= kafka.admin();
    connected ??= admin.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    await connected;
    const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
    const readings: LagReading[] = [];
    for (const topic of topics) {
      const watermarks = await admin.fetchTopicOffsets(topic);
      const partitions = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      for (const { partition, lag } of consumerLag(partitions, watermarks, { fromBeginning })) {
        readings.push({ group: groupId, topic, partition, lag });
      }
    }
    return readings;
  };

  const source: LagSource = {
    read() {
      inFlight ??= readFromKafka()
        .then((readings) => {
          failures = 0;
          last = readings;
          return readings;
        })
        .catch((error: unknown) => {
          if (failures++ === 0) {
            logger.warn(
              { err: error, groupId },
              'cannot read consumer lag; serving the last reading',
            );
          }
          return last;
        })
        .finally(() => (inFlight = undefined));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<LagReading[]>((resolve) => {
        timer = setTimeout(() => resolve(last), LAG_READ_TIMEOUT_MS);
      });
      return Promise.race([inFlight, timedOut]).finally(() => clearTimeout(timer));
    },
  };
  metrics.lagSources.add(source);

  return {
    deadLettered: (topic, count) => metrics.deadLetters.inc({ group: groupId, topic }, count),
    async stop() {
      metrics.lagSources.delete(source);
      await inFlight;
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
