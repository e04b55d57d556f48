import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, env, stackEndpoints, type SettingsOf } from '@platform/config';

/** `standalone`: REDIS_URL is the server; `cluster`: REDIS_URL is one node of a Redis Cluster. */
export const REDIS_MODES = ['standalone', 'cluster'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

/**
 * The Redis variables of every service that connects to Redis, one shape for all of them (merge it
 * into the service's schema): the default URL is the local stack's.
 */
export const redisSettings = (source: NodeJS.ProcessEnv = process.env) => ({
  /**
   * `redis://` or `rediss://` (TLS), with ACL credentials and a database when needed:
   * `rediss://user:password@host:6380/2`. In cluster mode any node of the cluster (or its
   * configuration endpoint); the others are discovered from it, and the database must be 0.
   */
  REDIS_URL: env
    .url(stackEndpoints(source).redis.url)
    .refine(
      (url) => /^rediss?:\/\//.test(url),
      'must be a redis:// or rediss:// (TLS) URL, e.g. rediss://user:password@host:6380',
    ),
  /** `cluster`: connect to a Redis Cluster (hash-tagged keys, see @platform/redis's README). */
  REDIS_MODE: z.enum(REDIS_MODES).default('standalone'),
  /**
   * A PEM file of the CA that signed the Redis server's certificate, when it is not one Node
   * trusts by default (a private CA); read at start-up. Only with a rediss:// URL.
   */
  REDIS_TLS_CA_FILE: z
    .string()
    .min(1)
    .transform((path, context) => {
      try {
        return { path, pem: readFileSync(path, 'utf8') };
      } catch (error) {
        context.addIssue({
          code: 'custom',
          message: `cannot read the CA file: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    })
    .optional(),
});

export type RedisSettings = Omit<
  SettingsOf<ReturnType<typeof redisSettings>>,
  'REDIS_TLS_CA_FILE'
> & {
  REDIS_TLS_CA_FILE?: { path: string; pem: string } | undefined;
};

/** Where and how a service connects to Redis: what `createRedisConnection` needs. */
export interface RedisTarget {
  mode: RedisMode;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Always 0 in cluster mode. */
  db: number;
  /** Present for rediss://; `ca` when REDIS_TLS_CA_FILE names one. */
  tls?: { ca?: string };
}

/**
 * The target the settings describe. Throws a ConfigError naming the variable for what the shape
 * alone cannot check: a database other than 0 in cluster mode, a CA file without TLS.
 */
export function redisTarget(settings: RedisSettings): RedisTarget {
  const url = new URL(settings.REDIS_URL);
  const tls = url.protocol === 'rediss:';
  const problems: string[] = [];
  const path = url.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) {
    problems.push(`REDIS_URL: the database must be a whole number (got "${path}")`);
  } else if (settings.REDIS_MODE === 'cluster' && db !== 0) {
    problems.push('REDIS_URL: a Redis Cluster has only database 0; drop the /<db> from the URL');
  }
  if (settings.REDIS_TLS_CA_FILE && !tls) {
    problems.push('REDIS_TLS_CA_FILE: set, but REDIS_URL is not a rediss:// (TLS) URL');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode: settings.REDIS_MODE,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db,
    ...(tls
      ? { tls: settings.REDIS_TLS_CA_FILE ? { ca: settings.REDIS_TLS_CA_FILE.pem } : {} }
      : {}),
  };
}

/** A standalone target on a URL (tests, tools): the settings' defaults for everything else. */
export function redisTargetOf(url: string, mode: RedisMode = 'standalone'): RedisTarget {
  return redisTarget({ REDIS_URL: url, REDIS_MODE: mode });
}
