import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { stackEndpoints } from '@platform/config';
import { stackPath } from '../paths.js';
import { runningPid, spawnDetached } from '../processes.js';
import { ensureDebianPackages } from '../system-packages.js';
import type { StackService } from '../service.js';

export function redisService(): StackService {
  const { port, url } = stackEndpoints().redis;
  const logFile = stackPath('logs', 'redis.log');
  const pidFile = stackPath('run', 'redis.pid');
  const dir = stackPath('redis');

  return {
    name: 'redis',
    logFile,
    async install() {
      ensureDebianPackages([{ command: 'redis-server', pkg: 'redis-server' }]);
    },
    pid: () => runningPid(pidFile),
    async start() {
      mkdirSync(dir, { recursive: true });
      spawnDetached(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { logFile, pidFile },
      );
    },
    async probe() {
      const redis = new Redis(url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await redis.connect();
        if ((await redis.ping()) !== 'PONG') throw new Error('PING did not answer PONG');
      } finally {
        redis.disconnect();
      }
    },
    describe: () => `127.0.0.1:${port} (REDIS_PORT)`,
  };
}
