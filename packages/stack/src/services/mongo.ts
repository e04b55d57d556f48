import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { stackEndpoints } from '@platform/config';
import { repoRoot, stackPath } from '../paths.js';
import { commandExists, runningPid, spawnDetached } from '../processes.js';
import type { StackService } from '../service.js';

/**
 * A MongoDB wire-protocol server: FerretDB 1.x on the stack's PostgreSQL, built from the Go module
 * proxy (packages/stack/ferretdb). Clients use the official `mongodb` driver, so a real MongoDB
 * (docker-compose) drops in unchanged.
 */
export function mongoService(): StackService {
  const endpoints = stackEndpoints();
  const { port, url } = endpoints.mongo;
  const binary = stackPath('bin', 'ferretdb');
  const logFile = stackPath('logs', 'mongo.log');
  const pidFile = stackPath('run', 'mongo.pid');

  return {
    name: 'mongo',
    logFile,
    async install() {
      if (existsSync(binary)) return;
      if (!commandExists('go'))
        throw new Error('go (1.22+) is required to build FerretDB for the stack');
      execFileSync('go', ['build', '-o', binary, '.'], {
        cwd: path.join(repoRoot, 'packages/stack/ferretdb'),
        env: { ...process.env, CGO_ENABLED: '0' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
    },
    pid: () => runningPid(pidFile),
    async start() {
      spawnDetached(
        binary,
        [
          '-listen-addr',
          `127.0.0.1:${port}`,
          '-postgresql-url',
          endpoints.postgres.url('ferretdb'),
        ],
        { logFile, pidFile },
      );
    },
    async probe() {
      const client = new MongoClient(url, {
        serverSelectionTimeoutMS: 1000,
        connectTimeoutMS: 1000,
      });
      try {
        await client.connect();
        await client.db('admin').command({ ping: 1 });
      } finally {
        await client.close();
      }
    },
    describe: () => `127.0.0.1:${port} (MONGO_PORT), FerretDB on PostgreSQL database ferretdb`,
  };
}
