import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { createLogger } from '@platform/logger';
import { startPrivateKafka, uniqueName, type PrivateService } from '@platform/testing';
import {
  createKafka,
  kafkaConnectionSettings,
  kafkaSecurity,
  startEventConsumer,
  type EventConsumer,
} from '../src/index.js';
import { eventRoundTrip } from './fixtures/round-trip.js';

/**
 * The platform's own Kafka client against a broker that demands SASL (a private broker with a
 * SASL_PLAINTEXT listener and a user known to PLAIN and SCRAM), configured only by the
 * environment variables every service reads.
 */
const USER = 'platform-svc';
const PASSWORD = 'svc-secret-1';
const TIMEOUT = 120_000;

const logger = createLogger('sasl-test', { level: 'silent' });
let broker: PrivateService & { saslBrokers: string[] };
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  broker = await startPrivateKafka({ saslUsers: { [USER]: PASSWORD } });
}, TIMEOUT);

afterAll(async () => {
  for (const consumer of consumers) await consumer.stop();
  await broker?.dispose();
}, TIMEOUT);

/** A client built the way every service builds one: settings parsed, then `kafkaSecurity`. */
const clientFor = (env: NodeJS.ProcessEnv) =>
  createKafka(
    'sasl-test',
    broker.saslBrokers,
    logger,
    kafkaSecurity(loadConfig(z.object(kafkaConnectionSettings), env)),
  );

const credentials = (mechanism: string, password = PASSWORD) => ({
  KAFKA_SASL_MECHANISM: mechanism,
  KAFKA_SASL_USERNAME: USER,
  KAFKA_SASL_PASSWORD: password,
});

describe('Kafka with SASL', () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])(
    'produces and consumes events with the right credentials over %s',
    async (mechanism) => {
      await eventRoundTrip(clientFor(credentials(mechanism)), {
        logger,
        keep: (consumer) => consumers.push(consumer),
      });
    },
    TIMEOUT,
  );

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'])(
    'refuses a wrong password over %s at once, saying authentication failed',
    async (mechanism) => {
      const kafka = clientFor(credentials(mechanism, 'not-the-password'));
      const producer = kafka.producer();
      await expect(producer.connect()).rejects.toMatchObject({
        name: 'KafkaJSSASLAuthenticationError',
        message: expect.stringMatching(/authentication failed|invalid username or password/i),
      });
      await expect(
        startEventConsumer({
          kafka,
          groupId: uniqueName('sasl-refused'),
          logger,
          handle: async () => undefined,
        }),
      ).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    },
    TIMEOUT,
  );

  it(
    'refuses an unknown user',
    async () => {
      const kafka = clientFor({
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'nobody',
        KAFKA_SASL_PASSWORD: PASSWORD,
      });
      const admin = kafka.admin();
      await expect(admin.connect()).rejects.toMatchObject({
        name: 'KafkaJSSASLAuthenticationError',
      });
    },
    TIMEOUT,
  );
});
