import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import {
  responseCacheConfig,
  responseCacheSettings,
  responseCacheStackDefaults,
} from './config.js';

const load = (source: NodeJS.ProcessEnv) =>
  loadConfig(z.object(responseCacheSettings).extend(responseCacheStackDefaults(source)), source);

describe('response cache settings', () => {
  it("applies the defaults, with the stack's Kafka", () => {
    expect(load({ KAFKA_PORT: '59999' })).toEqual({
      RESPONSE_CACHE_ENABLED: true,
      RESPONSE_CACHE_UNTAGGED: 'skip',
      RESPONSE_CACHE_FAST_PATH_ENABLED: true,
      RESPONSE_CACHE_LOCAL_ENABLED: true,
      RESPONSE_CACHE_LOCAL_MAX_BYTES: 67_108_864,
      RESPONSE_CACHE_REDIS_TIMEOUT_MS: 50,
      APQ_TTL_SECONDS: 86_400,
      KAFKA_BROKERS: ['127.0.0.1:59999'],
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 3_000,
      KAFKA_REBALANCE_TIMEOUT_MS: 20_000,
      KAFKA_SSL: false,
    });
  });

  it('reads each variable', () => {
    expect(
      load({
        RESPONSE_CACHE_ENABLED: 'false',
        RESPONSE_CACHE_UNTAGGED: 'ttl',
        RESPONSE_CACHE_FAST_PATH_ENABLED: 'false',
        RESPONSE_CACHE_LOCAL_ENABLED: 'false',
        RESPONSE_CACHE_LOCAL_MAX_BYTES: '1000',
        RESPONSE_CACHE_REDIS_TIMEOUT_MS: '20',
        APQ_TTL_SECONDS: '60',
        KAFKA_BROKERS: 'k1:9092, k2:9092',
      }),
    ).toEqual({
      RESPONSE_CACHE_ENABLED: false,
      RESPONSE_CACHE_UNTAGGED: 'ttl',
      RESPONSE_CACHE_FAST_PATH_ENABLED: false,
      RESPONSE_CACHE_LOCAL_ENABLED: false,
      RESPONSE_CACHE_LOCAL_MAX_BYTES: 1000,
      RESPONSE_CACHE_REDIS_TIMEOUT_MS: 20,
      APQ_TTL_SECONDS: 60,
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      KAFKA_SESSION_TIMEOUT_MS: 10_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 3_000,
      KAFKA_REBALANCE_TIMEOUT_MS: 20_000,
      KAFKA_SSL: false,
    });
  });

  it("gives the invalidation consumer's Kafka client the shared TLS and SASL settings", () => {
    const settings = load({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'gateway',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(responseCacheConfig(settings).kafkaSecurity).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'gateway', password: 'secret' },
    });
  });

  it('refuses a flag that is not a boolean, naming the variable', () => {
    expect(() => load({ RESPONSE_CACHE_ENABLED: 'maybe' })).toThrow(/RESPONSE_CACHE_ENABLED/);
  });

  it('refuses a local tier bound that is not a positive whole number of bytes', () => {
    expect(() => load({ RESPONSE_CACHE_LOCAL_MAX_BYTES: '0' })).toThrow(
      /RESPONSE_CACHE_LOCAL_MAX_BYTES/,
    );
  });

  it('refuses an untagged-response policy it does not know, naming the variable', () => {
    expect(() => load({ RESPONSE_CACHE_UNTAGGED: 'forever' })).toThrow(/RESPONSE_CACHE_UNTAGGED/);
  });
});
