import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { createLogger } from '@platform/logger';
import {
  makeTestCertificates,
  startPrivateKafka,
  type PrivateService,
  type TestCertificates,
} from '@platform/testing';
import {
  createKafka,
  kafkaConnectionSettings,
  kafkaSecurity,
  type EventConsumer,
} from '../src/index.js';
import { eventRoundTrip } from './fixtures/round-trip.js';

/**
 * The platform's own Kafka client against a broker that speaks only TLS with SASL on its listener
 * (SASL_SSL, as managed clusters do), with a certificate of a CA the test made.
 */
const USER = 'platform-svc';
const PASSWORD = 'svc-secret-2';
const TIMEOUT = 120_000;

const logger = createLogger('tls-test', { level: 'silent' });
let certificates: TestCertificates;
let broker: PrivateService & { saslBrokers: string[] };
const consumers: EventConsumer[] = [];

beforeAll(async () => {
  certificates = makeTestCertificates();
  broker = await startPrivateKafka({
    saslUsers: { [USER]: PASSWORD },
    tlsKeystoreFile: certificates.serverKeystoreFile,
  });
}, TIMEOUT);

afterAll(async () => {
  for (const consumer of consumers) await consumer.stop();
  await broker?.dispose();
  certificates?.dispose();
}, TIMEOUT);

const clientFor = (env: NodeJS.ProcessEnv) =>
  createKafka(
    'tls-test',
    broker.saslBrokers,
    logger,
    kafkaSecurity(loadConfig(z.object(kafkaConnectionSettings), env)),
  );

const scram = {
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: USER,
  KAFKA_SASL_PASSWORD: PASSWORD,
};

describe('Kafka over TLS with SASL', () => {
  it(
    'produces and consumes events when the client trusts the broker’s CA (KAFKA_SSL_CA_FILE)',
    async () => {
      const kafka = clientFor({
        ...scram,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: certificates.caFile,
      });
      await eventRoundTrip(kafka, { logger, keep: (consumer) => consumers.push(consumer) });
    },
    TIMEOUT,
  );

  it(
    'refuses a broker whose certificate it cannot verify, saying so',
    async () => {
      const admin = clientFor({ ...scram, KAFKA_SSL: 'true' }).admin();
      await expect(admin.connect()).rejects.toThrow(/unable to verify the first certificate/);
    },
    TIMEOUT,
  );
});
