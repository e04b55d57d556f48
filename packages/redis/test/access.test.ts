import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster } from 'ioredis';
import {
  checkRedisAccess,
  createRedisConnection,
  RedisAccessError,
  redisTarget,
  redisTargetOf,
  type RedisConnection,
} from '@platform/redis';
import {
  freePort,
  makeTestCertificates,
  recordingLogger,
  startPrivateRedis,
  startPrivateRedisCluster,
  type PrivateRedisCluster,
  type PrivateService,
  type TestCertificates,
} from '@platform/testing';

/** An ACL user allowed everything, as redis-server arguments (the default user stays on). */
const ACL_USER = ['--user', 'cache-user', 'on', '>correct-horse', '~*', '&*', '+@all'];
const withCredentials = (url: string, password: string) =>
  url.replace('redis://', `redis://cache-user:${password}@`);

const connections: RedisConnection[] = [];
const connect = (...args: Parameters<typeof createRedisConnection>) => {
  const connection = createRedisConnection(...args);
  connections.push(connection);
  return connection;
};
/** Before the server goes: a connection left open would reconnect to nothing. */
const disconnectAll = () => connections.splice(0).forEach((connection) => connection.disconnect());

describe('ACL credentials from REDIS_URL on a standalone server', () => {
  let redis: PrivateService & { url: string };
  beforeAll(async () => {
    redis = await startPrivateRedis({ extraArgs: ACL_USER });
  }, 60_000);
  afterAll(async () => {
    disconnectAll();
    await redis.dispose();
  });

  it('connects as the URL names user, and runs commands as that user', async () => {
    const target = redisTargetOf(withCredentials(redis.url, 'correct-horse'));
    expect(await checkRedisAccess(target)).toBe('ready');
    const connection = connect(target, { connectionName: 'acl-test' });
    expect(await connection.call('ACL', 'WHOAMI')).toBe('cache-user');
  });

  it('refuses a wrong password at once with an error naming REDIS_URL and the user', async () => {
    const target = redisTargetOf(withCredentials(redis.url, 'wrong'));
    const refusal = checkRedisAccess(target);
    await expect(refusal).rejects.toThrow(RedisAccessError);
    await expect(refusal).rejects.toThrow(
      /refused user "cache-user" of REDIS_URL: WRONGPASS invalid username-password pair/,
    );
  });

  it('answers unreachable for a Redis that is not there, with a warning: the service starts and degrades', async () => {
    const { logger, records } = recordingLogger('access-test');
    const target = redisTargetOf(`redis://127.0.0.1:${await freePort()}`);
    expect(await checkRedisAccess(target, { logger })).toBe('unreachable');
    expect(records).toEqual([
      {
        level: 'warn',
        message: 'Redis does not answer; starting without it, reconnecting in the background',
      },
    ]);
  });
});

describe('ACL credentials on a Redis Cluster', () => {
  let cluster: PrivateRedisCluster;
  beforeAll(async () => {
    cluster = await startPrivateRedisCluster({ extraArgs: ACL_USER });
  }, 60_000);
  afterAll(async () => {
    disconnectAll();
    await cluster.dispose();
  });

  it('connects to every node as the user, and refuses a wrong password at start-up', async () => {
    const target = redisTargetOf(withCredentials(cluster.url, 'correct-horse'), 'cluster');
    expect(await checkRedisAccess(target)).toBe('ready');
    const connection = connect(target, { connectionName: 'acl-cluster-test' });
    // Keys on all three primaries: each node connection authenticated.
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await connection.set(`acl-${key}`, key);
    expect(await connection.get('acl-f')).toBe('f');

    await expect(
      checkRedisAccess(redisTargetOf(withCredentials(cluster.url, 'wrong'), 'cluster')),
    ).rejects.toThrow(/refused user "cache-user" of REDIS_URL: WRONGPASS/);
  });
});

describe('TLS from a rediss:// URL with a private CA', () => {
  let certificates: TestCertificates;
  let redis: PrivateService;
  let tlsUrl: string;
  beforeAll(async () => {
    certificates = makeTestCertificates();
    const tlsPort = await freePort();
    redis = await startPrivateRedis({
      extraArgs: [
        ...['--tls-port', String(tlsPort), '--tls-auth-clients', 'no'],
        ...['--tls-cert-file', certificates.serverKeystoreFile],
        ...['--tls-key-file', certificates.serverKeystoreFile],
        ...['--tls-ca-cert-file', certificates.caFile],
        ...ACL_USER,
      ],
    });
    tlsUrl = `rediss://cache-user:correct-horse@127.0.0.1:${tlsPort}`;
  }, 60_000);
  afterAll(async () => {
    disconnectAll();
    await redis.dispose();
    certificates.dispose();
  });

  const tlsTarget = (caFile?: string) =>
    redisTarget({
      REDIS_URL: tlsUrl,
      REDIS_MODE: 'standalone',
      REDIS_TLS_CA_FILE: caFile ? { path: caFile, pem: readPem(caFile) } : undefined,
    });

  it('connects over TLS, trusting the CA REDIS_TLS_CA_FILE names', async () => {
    const target = tlsTarget(certificates.caFile);
    expect(await checkRedisAccess(target)).toBe('ready');
    const connection = connect(target, { connectionName: 'tls-test' });
    expect(await connection.call('ACL', 'WHOAMI')).toBe('cache-user');
    const info = String(await connection.call('CLIENT', 'INFO'));
    // A TLS connection has no plain-text file descriptor flags to tell; its port is the TLS one.
    expect(info).toContain(`laddr=127.0.0.1:${new URL(tlsUrl).port}`);
  });

  it('refuses a server whose CA it was not given, naming REDIS_TLS_CA_FILE', async () => {
    await expect(checkRedisAccess(tlsTarget())).rejects.toThrow(
      /TLS certificate of Redis at 127.0.0.1:\d+ is not trusted: .*REDIS_TLS_CA_FILE/,
    );
  });
});

describe('TLS on a Redis Cluster', () => {
  let certificates: TestCertificates;
  let cluster: PrivateRedisCluster;
  const tlsPorts: number[] = [];
  beforeAll(async () => {
    certificates = makeTestCertificates();
    cluster = await startPrivateRedisCluster({
      // The bus speaks TLS too, so CLUSTER SLOTS answers a TLS client with the TLS ports.
      extraArgs: [
        ...['--tls-cluster', 'yes', '--tls-auth-clients', 'no'],
        ...['--tls-cert-file', certificates.serverKeystoreFile],
        ...['--tls-key-file', certificates.serverKeystoreFile],
        ...['--tls-ca-cert-file', certificates.caFile],
        ...ACL_USER,
      ],
      nodeArgs: async () => {
        const port = await freePort();
        tlsPorts.push(port);
        return ['--tls-port', String(port)];
      },
    });
  }, 60_000);
  afterAll(async () => {
    disconnectAll();
    await cluster.dispose();
    certificates.dispose();
  });

  it('reaches every primary over TLS as the user, from one rediss:// seed', async () => {
    const target = redisTarget({
      REDIS_URL: `rediss://cache-user:correct-horse@127.0.0.1:${tlsPorts[0]}`,
      REDIS_MODE: 'cluster',
      REDIS_TLS_CA_FILE: { path: certificates.caFile, pem: readPem(certificates.caFile) },
    });
    expect(await checkRedisAccess(target)).toBe('ready');
    const connection = connect(target, { connectionName: 'tls-cluster-test' });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await connection.set(`tls-${key}`, key);
    expect(await connection.get('tls-f')).toBe('f');
    if (!(connection instanceof Cluster)) throw new Error('expected a cluster connection');
    const ports = connection.nodes('master').map((node) => node.options.port);
    expect(ports.sort()).toEqual([...tlsPorts].sort());
  });
});

function readPem(file: string): string {
  return readFileSync(file, 'utf8');
}
