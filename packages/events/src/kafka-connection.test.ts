import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { kafkaConnectionSettings, kafkaSecurity } from './kafka-connection.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kafka-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pem = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const CA = pem('ca.pem', '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n');
const CERT = pem('client.pem', '-----BEGIN CERTIFICATE-----\nme\n-----END CERTIFICATE-----\n');
const KEY = pem('client.key', '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n');

const security = (env: NodeJS.ProcessEnv) =>
  kafkaSecurity(loadConfig(z.object(kafkaConnectionSettings), env));

describe('Kafka connection settings', () => {
  it('are plaintext without authentication when nothing is set (or set empty)', () => {
    expect(security({})).toEqual({});
    expect(
      security({ KAFKA_SSL: 'false', KAFKA_SASL_MECHANISM: '', KAFKA_CLIENT_ID: ' ' }),
    ).toEqual({});
  });

  it('turn TLS on with the system CAs', () => {
    expect(security({ KAFKA_SSL: 'true' })).toEqual({ ssl: true });
  });

  it('read the CA and the client certificate and key for mutual TLS', () => {
    expect(
      security({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: CA,
        KAFKA_SSL_CERT_FILE: CERT,
        KAFKA_SSL_KEY_FILE: KEY,
      }),
    ).toEqual({
      ssl: {
        ca: ['-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n'],
        cert: '-----BEGIN CERTIFICATE-----\nme\n-----END CERTIFICATE-----\n',
        key: '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n',
      },
    });
  });

  it.each(['plain', 'SCRAM-SHA-256', 'scram-sha-512'])(
    'authenticate with SASL %s, the password taken as it is',
    (mechanism) => {
      expect(
        security({
          KAFKA_SSL: 'true',
          KAFKA_SASL_MECHANISM: mechanism,
          KAFKA_SASL_USERNAME: 'svc-user',
          KAFKA_SASL_PASSWORD: ' p@ss word ',
          KAFKA_CLIENT_ID: 'acme-gateway',
        }),
      ).toEqual({
        clientId: 'acme-gateway',
        ssl: true,
        sasl: { mechanism: mechanism.toLowerCase(), username: 'svc-user', password: ' p@ss word ' },
      });
    },
  );

  it.each<[NodeJS.ProcessEnv, RegExp]>([
    [{ KAFKA_SASL_MECHANISM: 'gssapi' }, /KAFKA_SASL_MECHANISM: /],
    [{ KAFKA_SASL_MECHANISM: 'plain' }, /KAFKA_SASL_USERNAME: required by KAFKA_SASL_MECHANISM/],
    [
      { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' },
      /KAFKA_SASL_PASSWORD: required by KAFKA_SASL_MECHANISM=scram-sha-256/,
    ],
    [
      { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' },
      /KAFKA_SASL_USERNAME: needs KAFKA_SASL_MECHANISM/,
    ],
    [{ KAFKA_SSL: 'yes please' }, /KAFKA_SSL: /],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: path.join(dir, 'missing.pem') },
      /KAFKA_SSL_CA_FILE: no such file/,
    ],
    [{ KAFKA_SSL_CA_FILE: CA }, /KAFKA_SSL_CA_FILE: needs KAFKA_SSL=true/],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: CERT },
      /KAFKA_SSL_KEY_FILE: required by KAFKA_SSL_CERT_FILE/,
    ],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: KEY },
      /KAFKA_SSL_CERT_FILE: required by KAFKA_SSL_KEY_FILE/,
    ],
  ])('refuse %j, naming the variable', (env, message) => {
    expect(() => security(env)).toThrow(message);
  });
});
