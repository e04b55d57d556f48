import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { stackEndpoints } from '@platform/config';
import { stackPath } from '../paths.js';
import { runningPid, spawnDetached } from '../processes.js';
import { ensureDebianPackages } from '../system-packages.js';
import type { StackService } from '../service.js';

export interface RedisServiceOptions {
  port: number;
  dir: string;
  logFile: string;
  pidFile: string;
  /** More redis-server settings, e.g. `--tls-port` and its files, or `--user` ACL rules. */
  extraArgs?: string[];
}

/** The stack's Redis by default; tests that must stop Redis run a private one with these options. */
export function redisService(options?: RedisServiceOptions): StackService {
  const endpoints = stackEndpoints().redis;
  const {
    port = endpoints.port,
    dir = stackPath('redis'),
    logFile = stackPath('logs', 'redis.log'),
    pidFile = stackPath('run', 'redis.pid'),
    extraArgs = [],
  } = options ?? {};
  const url = `redis://127.0.0.1:${port}`;

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
          ...extraArgs,
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
