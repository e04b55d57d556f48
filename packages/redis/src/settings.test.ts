import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { redisSettings, redisTarget } from './index.js';

const load = (source: NodeJS.ProcessEnv) => loadConfig(z.object(redisSettings(source)), source);
const targetOf = (source: NodeJS.ProcessEnv) => redisTarget(load(source));

describe('the Redis settings every service shares', () => {
  it("defaults to the local stack's standalone Redis", () => {
    expect(targetOf({ REDIS_PORT: '6100' })).toEqual({
      mode: 'standalone',
      host: '127.0.0.1',
      port: 6100,
      db: 0,
    });
  });

  it('takes TLS, ACL credentials (percent-encoded) and a database from the URL', () => {
    expect(
      targetOf({ REDIS_URL: 'rediss://cache-user:p%40ss%2Fword@redis.internal:6380/2' }),
    ).toEqual({
      mode: 'standalone',
      host: 'redis.internal',
      port: 6380,
      username: 'cache-user',
      password: 'p@ss/word',
      db: 2,
      tls: {},
    });
    expect(targetOf({ REDIS_URL: 'redis://:only-a-password@10.0.0.5' })).toMatchObject({
      port: 6379,
      password: 'only-a-password',
    });
    expect(targetOf({ REDIS_URL: 'redis://:x@10.0.0.5' }).username).toBeUndefined();
  });

  it('names REDIS_URL when it is not a redis:// or rediss:// URL', () => {
    expect(() => load({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ \(TLS\) URL/,
    );
  });

  it('names REDIS_MODE when it is neither standalone nor cluster', () => {
    expect(() => load({ REDIS_MODE: 'sentinel' })).toThrow(/REDIS_MODE: /);
  });

  it('selects cluster mode with the URL as the seed, and refuses a database there', () => {
    expect(targetOf({ REDIS_MODE: 'cluster', REDIS_URL: 'redis://u:p@node-1:7000' })).toEqual({
      mode: 'cluster',
      host: 'node-1',
      port: 7000,
      username: 'u',
      password: 'p',
      db: 0,
    });
    expect(() => targetOf({ REDIS_MODE: 'cluster', REDIS_URL: 'redis://node-1:7000/3' })).toThrow(
      /REDIS_URL: a Redis Cluster has only database 0/,
    );
  });

  it('reads REDIS_TLS_CA_FILE at start-up, naming it when it cannot, or when the URL is not TLS', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'redis-settings-'));
    try {
      const caFile = path.join(dir, 'ca.pem');
      writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n');
      expect(
        targetOf({ REDIS_URL: 'rediss://redis.internal:6380', REDIS_TLS_CA_FILE: caFile }).tls,
      ).toEqual({ ca: '-----BEGIN CERTIFICATE-----\n' });
      expect(() =>
        load({ REDIS_URL: 'rediss://x:6380', REDIS_TLS_CA_FILE: path.join(dir, 'missing.pem') }),
      ).toThrow(/REDIS_TLS_CA_FILE: cannot read the CA file: ENOENT/);
      expect(() => targetOf({ REDIS_URL: 'redis://x:6379', REDIS_TLS_CA_FILE: caFile })).toThrow(
        /REDIS_TLS_CA_FILE: set, but REDIS_URL is not a rediss:\/\/ \(TLS\) URL/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
