import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRedisConnection, redisTargetOf } from '@platform/redis';
import {
  eventually,
  recordingLogger,
  startPrivateRedis,
  type PrivateService,
} from '@platform/testing';
import { loadGatewayConfig, startGateway } from '../../src/index.js';
import { GATEWAY_SECRET, JWT_SECRET } from '../test-platform.js';

/** A Redis with a `gateway` ACL user (the default user stays on for the stack's probe). */
const ACL = ['--user', 'gateway', 'on', '>gateway-password', '~*', '&*', '+@all'];

let redis: PrivateService & { url: string };
const urlWith = (password: string) => redis.url.replace('redis://', `redis://gateway:${password}@`);
const configWith = (password: string) => ({
  ...loadGatewayConfig({ JWT_SECRET, GATEWAY_SECRET, REDIS_URL: urlWith(password) }),
  PORT: 0,
});

beforeAll(async () => {
  redis = await startPrivateRedis({ extraArgs: ACL });
}, 60_000);
afterAll(() => redis.dispose());

describe('the gateway on a Redis with ACL users', () => {
  it('refuses to start when Redis refuses its credentials, naming REDIS_URL and the user', async () => {
    const { logger } = recordingLogger('gateway-credentials-test');
    await expect(
      startGateway(configWith('wrong'), logger, { consumeCacheEvents: false }),
    ).rejects.toThrow(/refused user "gateway" of REDIS_URL: WRONGPASS/);
  });

  it('connects every role as the user of REDIS_URL', async () => {
    const { logger } = recordingLogger('gateway-credentials-test');
    const gateway = await startGateway(configWith('gateway-password'), logger, {
      consumeCacheEvents: false,
    });
    const admin = createRedisConnection(redisTargetOf(urlWith('gateway-password')), {
      connectionName: 'credentials-test',
    });
    try {
      const clients = async () =>
        String(await admin.call('CLIENT', 'LIST'))
          .split('\n')
          .filter((line) => / name=gateway-/.test(line));
      // The subscriber connects on the first subscription; the others at start.
      const connected = await eventually(async () => {
        const lines = await clients();
        return lines.length >= 3 ? lines : undefined;
      });
      for (const line of connected) expect(line).toMatch(/ user=gateway /);
    } finally {
      admin.disconnect();
      await gateway.stop();
    }
  });
});
