import { Redis } from 'ioredis';
import type { Kafka, Message, Producer } from 'kafkajs';
import { createKafka, toKafkaMessage, type AnyEventEnvelope } from '@platform/events';
import type { Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import {
  decodeNotificationMessage,
  notificationChannel,
  type NotificationMessage,
} from '@platform/realtime';
import {
  anonymous,
  createTestDatabase,
  metricValue,
  signedGraphQL,
  stackEndpoints,
  uniqueName,
  type GraphQLResponse,
} from '@platform/testing';
import {
  loadNotificationConfig,
  startNotificationSubgraph,
  type NotificationSubgraph,
  type NotificationSubgraphConfig,
} from '../src/index.js';
import { notificationDelivery, type NotificationDelivery } from '../src/domain/delivery.js';
import { registerNotificationMetrics } from '../src/metrics.js';
import { redisNotificationPublisher } from '../src/realtime-publisher.js';
import { countedDatabase } from '@platform/postgres';
import { notificationRepository } from '../src/repositories/notifications.js';

export const GATEWAY_SECRET = 'g'.repeat(32);
export const logger = createLogger('notification-test', { level: 'silent' });

/** A user id no other test (or test run) uses: topics and Redis are shared. */
export const newUserId = () => uniqueName('user');

/** A real notification subgraph on a fresh database, spoken to over HTTP as the gateway would. */
export interface TestSubgraph {
  subgraph: NotificationSubgraph;
  /** Its settings; KAFKA_GROUP_ID is unique to this subgraph. */
  config: NotificationSubgraphConfig;
  origin: string;
  graphql<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GraphQLResponse<Data>>;
  /** The current value of a counter on /metrics (0 when it has no sample yet). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** The consumer's handler on this subgraph's database, publishing on the real Redis. */
  delivery: NotificationDelivery;
  /** Rows stored for these recipients, oldest first. */
  rowsOf(
    recipientIds: string[],
  ): Promise<Array<{ id: string; recipientId: string; eventId: string; published: boolean }>>;
  stop(): Promise<void>;
}

export async function startTestSubgraph(
  options: { consume?: boolean } = {},
): Promise<TestSubgraph> {
  const database = await createTestDatabase('notification_subgraph');
  const config: NotificationSubgraphConfig = {
    ...loadNotificationConfig({
      DATABASE_URL: database.url,
      GATEWAY_SECRET,
      KAFKA_GROUP_ID: uniqueName('notification-test'),
      LOG_LEVEL: 'silent',
    }),
    PORT: 0,
  };
  let subgraph: NotificationSubgraph;
  try {
    subgraph = await startNotificationSubgraph(config, logger, { consume: options.consume });
  } catch (error) {
    await database.drop();
    throw error;
  }
  // Other test files (and other helpers' tests) run notification consumers of their own on the
  // same topics and Redis; ids far from theirs let a test tell its own messages apart.
  await subgraph.pool.query(`SELECT setval('notifications_id_seq', $1)`, [
    1 + Math.floor(Math.random() * 1e12),
  ]);
  const origin = new URL(subgraph.url).origin;
  const redis = new Redis(config.REDIS_URL);
  const metrics = registerNotificationMetrics(subgraph.metrics);
  const delivery = notificationDelivery({
    notifications: notificationRepository(countedDatabase(subgraph.pool, metrics.sqlQueries)),
    publisher: redisNotificationPublisher(redis),
    metrics,
    logger,
  });

  return {
    subgraph,
    config,
    origin,
    delivery,
    graphql: (query, variables, principal = anonymous) =>
      signedGraphQL(
        { url: subgraph.url, subgraph: 'notification', gatewaySecret: GATEWAY_SECRET },
        principal,
        query,
        variables,
      ),
    metric: (name, labels) => metricValue(origin, name, labels),
    async rowsOf(recipientIds) {
      const { rows } = await subgraph.pool.query<{
        id: string;
        recipientId: string;
        eventId: string;
        published: boolean;
      }>(
        `SELECT id::text AS id, recipient_id AS "recipientId", event_id::text AS "eventId",
                published_at IS NOT NULL AS published
         FROM notifications WHERE recipient_id = ANY($1::text[]) ORDER BY id`,
        [recipientIds],
      );
      return rows;
    },
    async stop() {
      try {
        await subgraph.stop();
        redis.disconnect();
      } finally {
        await database.drop();
      }
    },
  };
}

/** An ioredis subscriber on the notification channels of some recipients, recording messages. */
export interface ChannelListener {
  messagesOf(recipientId: string): NotificationMessage[];
  close(): Promise<void>;
}

export async function listenToRecipients(
  recipientIds: string[],
  redisUrl = stackEndpoints().redis.url,
): Promise<ChannelListener> {
  const subscriber = new Redis(redisUrl);
  const received = new Map<string, NotificationMessage[]>();
  subscriber.on('message', (channel: string, raw: string) => {
    const message = decodeNotificationMessage(raw);
    if (message) received.set(channel, [...(received.get(channel) ?? []), message]);
  });
  await subscriber.subscribe(...recipientIds.map(notificationChannel));
  return {
    messagesOf: (recipientId) => received.get(notificationChannel(recipientId)) ?? [],
    close: async () => {
      await subscriber.quit();
    },
  };
}

/** A real Kafka producer of event envelopes (and of raw bytes, for poison messages). */
export interface EventProducer {
  kafka: Kafka;
  send(event: AnyEventEnvelope): Promise<void>;
  /** Events in one produce request, so the consumer likely fetches them in one batch. */
  sendMany(events: AnyEventEnvelope[]): Promise<void>;
  sendRaw(topic: string, key: string, value: string): Promise<void>;
  sendRawMessage(topic: string, message: Message): Promise<void>;
  disconnect(): Promise<void>;
}

export async function connectProducer(): Promise<EventProducer> {
  const kafka = createKafka('notification-test', stackEndpoints().kafka.brokers, logger);
  const producer: Producer = kafka.producer();
  await producer.connect();
  return {
    kafka,
    async send(event) {
      const { topic, message } = toKafkaMessage(event);
      await producer.send({ topic, messages: [message] });
    },
    async sendMany(events) {
      const [first] = events;
      if (!first) return;
      await producer.send({
        topic: toKafkaMessage(first).topic,
        messages: events.map((event) => toKafkaMessage(event).message),
      });
    },
    async sendRaw(topic, key, value) {
      await producer.send({ topic, messages: [{ key, value }] });
    },
    async sendRawMessage(topic, message) {
      await producer.send({ topic, messages: [message] });
    },
    disconnect: () => producer.disconnect(),
  };
}
