import { existsSync, readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import { z } from 'zod';
import { ConfigError, type SettingsOf } from '@platform/config';

/** Unset and empty are the same: "not configured". */
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => value || undefined);

const optionalFile = optionalText.refine(
  (file) => file === undefined || existsSync(file),
  'no such file',
);

export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * How every Kafka client of a service reaches its brokers beyond `host:port`: TLS and SASL for a
 * managed Kafka (Confluent Cloud, MSK, Aiven, ...), the environment variables every service with
 * KAFKA_BROKERS spreads into its config schema (`...kafkaConnectionSettings`) and maps with
 * `kafkaSecurity(config)` for `createKafka`. Unset: plaintext without authentication, as the
 * local stack's broker speaks.
 */
export const kafkaConnectionSettings = {
  /** Names this process's clients to the brokers (logs, quotas, ACLs); unset: the service's name. */
  KAFKA_CLIENT_ID: optionalText,
  /** `true`: TLS to the brokers, verified against the system's CAs or KAFKA_SSL_CA_FILE. */
  KAFKA_SSL: z.stringbool().default(false),
  /** PEM file of the CA(s) that signed the brokers' certificates (instead of the system's). */
  KAFKA_SSL_CA_FILE: optionalFile,
  /** PEM client certificate for mutual TLS, with KAFKA_SSL_KEY_FILE. */
  KAFKA_SSL_CERT_FILE: optionalFile,
  /** PEM private key of KAFKA_SSL_CERT_FILE. */
  KAFKA_SSL_KEY_FILE: optionalFile,
  /** `plain`, `scram-sha-256` or `scram-sha-512` (case-insensitive); unset: no SASL. */
  KAFKA_SASL_MECHANISM: optionalText
    .transform((value) => value?.toLowerCase())
    .pipe(z.enum(SASL_MECHANISMS).optional()),
  /** The SASL user; required with KAFKA_SASL_MECHANISM. */
  KAFKA_SASL_USERNAME: optionalText,
  /** The SASL user's password, taken as it is (not trimmed); required with KAFKA_SASL_MECHANISM. */
  KAFKA_SASL_PASSWORD: z
    .string()
    .optional()
    .transform((value) => value || undefined),
};

export type KafkaConnectionSettings = SettingsOf<typeof kafkaConnectionSettings>;

/** What `createKafka` adds to a client's brokers; `{}` is plaintext without authentication. */
export interface KafkaSecurity {
  /** Overrides the client id the service names its client with. */
  clientId?: string;
  ssl?: ConnectionOptions | true;
  sasl?: SASLOptions;
}

/**
 * The security of parsed settings, with the files read; settings that cannot work together are
 * refused with a ConfigError naming them (a mechanism without credentials, credentials without a
 * mechanism, a certificate without its key, TLS files while KAFKA_SSL is off).
 */
export function kafkaSecurity(settings: KafkaConnectionSettings): KafkaSecurity {
  const problems: string[] = [];
  const mechanism = settings.KAFKA_SASL_MECHANISM;
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = settings;
  if (mechanism) {
    if (!username)
      problems.push(`KAFKA_SASL_USERNAME: required by KAFKA_SASL_MECHANISM=${mechanism}`);
    if (!password)
      problems.push(`KAFKA_SASL_PASSWORD: required by KAFKA_SASL_MECHANISM=${mechanism}`);
  } else {
    if (username)
      problems.push('KAFKA_SASL_USERNAME: needs KAFKA_SASL_MECHANISM, which is not set');
    if (password)
      problems.push('KAFKA_SASL_PASSWORD: needs KAFKA_SASL_MECHANISM, which is not set');
  }
  const files = {
    ca: settings.KAFKA_SSL_CA_FILE,
    cert: settings.KAFKA_SSL_CERT_FILE,
    key: settings.KAFKA_SSL_KEY_FILE,
  };
  if (!settings.KAFKA_SSL) {
    for (const [name, file] of Object.entries({
      KAFKA_SSL_CA_FILE: files.ca,
      KAFKA_SSL_CERT_FILE: files.cert,
      KAFKA_SSL_KEY_FILE: files.key,
    })) {
      if (file) problems.push(`${name}: needs KAFKA_SSL=true`);
    }
  }
  if (files.cert && !files.key)
    problems.push('KAFKA_SSL_KEY_FILE: required by KAFKA_SSL_CERT_FILE');
  if (files.key && !files.cert)
    problems.push('KAFKA_SSL_CERT_FILE: required by KAFKA_SSL_KEY_FILE');
  if (problems.length > 0) throw new ConfigError(problems);

  const security: KafkaSecurity = {};
  if (settings.KAFKA_CLIENT_ID) security.clientId = settings.KAFKA_CLIENT_ID;
  if (settings.KAFKA_SSL) {
    const read = (file: string | undefined) =>
      file === undefined ? undefined : readFileSync(file, 'utf8');
    const tls: ConnectionOptions = {
      ...(files.ca && { ca: [read(files.ca)!] }),
      ...(files.cert && { cert: read(files.cert), key: read(files.key) }),
    };
    security.ssl = Object.keys(tls).length > 0 ? tls : true;
  }
  if (mechanism && username && password) security.sasl = { mechanism, username, password };
  return security;
}
