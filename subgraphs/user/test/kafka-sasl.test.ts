import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createKafka,
  decodeEvent,
  ensureEventTopics,
  topicFor,
  type AnyEventEnvelope,
} from '@platform/events';
import { createLogger } from '@platform/logger';
import { eventually, startPrivateKafka, uniqueName, type PrivateService } from '@platform/testing';
import { startTestSubgraph } from './harness.js';

/**
 * A service, configured only by its environment, relays its events to a Kafka that demands SASL
 * (a private broker with a SASL_PLAINTEXT listener): the settings reach its real Kafka client.
 */
const USER = 'user-subgraph';
const PASSWORD = 'relay-secret-1';
const TIMEOUT = 120_000;

const logger = createLogger('user-kafka-sasl-test', { level: 'silent' });
let broker: PrivateService & { saslBrokers: string[] };
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  broker = await startPrivateKafka({ saslUsers: { [USER]: PASSWORD } });
}, TIMEOUT);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await broker?.dispose();
}, TIMEOUT);

describe('the user subgraph on a Kafka with SASL', () => {
  it(
    'relays a sign-up event with the SCRAM credentials of its environment',
    async () => {
      const reader = createKafka('user-sasl-reader', broker.saslBrokers, logger, {
        sasl: { mechanism: 'scram-sha-256', username: USER, password: PASSWORD },
      });
      // The reader's topic must exist before it subscribes, whether or not the relay ever connects.
      await ensureEventTopics(reader);
      const received: AnyEventEnvelope[] = [];
      const consumer = reader.consumer({ groupId: uniqueName('user-sasl-reader') });
      await consumer.connect();
      cleanups.push(() => consumer.disconnect());
      await consumer.subscribe({ topics: [topicFor('user')], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(decodeEvent(message.value));
        },
      });

      const api = await startTestSubgraph({
        publishEvents: true,
        env: {
          KAFKA_BROKERS: broker.saslBrokers.join(','),
          KAFKA_SASL_MECHANISM: 'scram-sha-256',
          KAFKA_SASL_USERNAME: USER,
          KAFKA_SASL_PASSWORD: PASSWORD,
          OUTBOX_POLL_MS: '100',
        },
      });
      cleanups.push(() => api.stop());
      const user = await api.signUp();

      const event = await eventually(
        () => received.find((candidate) => candidate.subject.id === user.id),
        { timeoutMs: 60_000, what: "the sign-up's event on the SASL broker" },
      );
      expect(event).toMatchObject({ type: 'user.signed_up', actor: { userId: user.id } });
    },
    TIMEOUT,
  );
});
