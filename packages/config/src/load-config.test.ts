import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ConfigError, env, loadConfig, stackEndpoints } from './index.js';

const schema = z.object({
  PORT: env.port(4000),
  JWT_SECRET: env.secret(),
  SUBGRAPHS: env.csv('user,data'),
});

describe('loadConfig', () => {
  it('parses values and applies defaults', () => {
    const config = loadConfig(schema, { JWT_SECRET: 'x'.repeat(32), PORT: '4100' });
    expect(config).toEqual({ PORT: 4100, JWT_SECRET: 'x'.repeat(32), SUBGRAPHS: ['user', 'data'] });
  });

  it('names a missing variable', () => {
    expect(() => loadConfig(schema, {})).toThrow(/JWT_SECRET: .*\(not set\)/);
  });

  it('names every malformed variable at once', () => {
    try {
      loadConfig(schema, { PORT: 'eighty', JWT_SECRET: 'short' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^JWT_SECRET: must be at least 32 characters/m);
    }
  });
});

describe('stackEndpoints', () => {
  it('derives every connection URL from the port variables', () => {
    const endpoints = stackEndpoints({
      POSTGRES_PORT: '6000',
      REDIS_PORT: '6001',
      MONGO_PORT: '6002',
    });
    expect(endpoints.postgres.url('app')).toBe('postgres://platform@127.0.0.1:6000/app');
    expect(endpoints.redis.url).toBe('redis://127.0.0.1:6001');
    expect(endpoints.mongo.url).toBe('mongodb://127.0.0.1:6002/');
  });

  it('refuses a port that is not a port', () => {
    expect(() => stackEndpoints({ KAFKA_PORT: '70000' })).toThrow(/KAFKA_PORT/);
  });
});
