import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { stackEndpoints } from '@platform/config';
import { stackPath } from '../paths.js';
import { runningPid, spawnDetached } from '../processes.js';
import { ensureDebianPackages } from '../system-packages.js';
import { installFerretdbIndexCompanions } from './ferretdb-indexes.js';
import type { StackService } from '../service.js';

const MIN_MAJOR = 15;
/** Databases the platform uses; created on every `up` when missing. */
const DATABASES = ['platform', 'ferretdb', 'analytics', 'notifications'];

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .map(Number)
    .filter(
      (major) => major >= MIN_MAJOR && existsSync(path.join(root, String(major), 'bin/postgres')),
    )
    .sort((a, b) => b - a);
  return majors[0] === undefined ? undefined : path.join(root, String(majors[0]), 'bin');
}

/** PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * The cluster lives in .stack/postgres; when the owner cannot reach the checkout (a home folder
 * closed to other users), it lives in a folder of its own under /var/lib/postgresql instead.
 */
function dataDir(owner: { uid: number; gid: number } | undefined): string {
  const preferred = stackPath('postgres');
  if (!owner) return preferred;
  try {
    execFileSync('setpriv', [
      `--reuid=${owner.uid}`,
      `--regid=${owner.gid}`,
      '--clear-groups',
      'test',
      '-x',
      path.dirname(preferred),
    ]);
    return preferred;
  } catch {
    const id = createHash('sha256').update(preferred).digest('hex').slice(0, 12);
    return `/var/lib/postgresql/platform-stack-${id}`;
  }
}

export function postgresService(): StackService {
  const { port, url } = stackEndpoints().postgres;
  const logFile = stackPath('logs', 'postgres.log');
  const pidFile = stackPath('run', 'postgres.pid');
  const owner = clusterOwner();
  const cluster = dataDir(owner);
  const data = path.join(cluster, 'data');

  return {
    name: 'postgres',
    logFile,
    async install() {
      if (!postgresBinDir())
        ensureDebianPackages([
          { command: '/usr/lib/postgresql/15/bin/postgres', pkg: 'postgresql' },
        ]);
      if (!postgresBinDir())
        throw new Error(`PostgreSQL ${MIN_MAJOR}+ not found under /usr/lib/postgresql`);
    },
    pid: () => runningPid(pidFile),
    async start() {
      const bin = postgresBinDir()!;
      const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
      if (!existsSync(path.join(data, 'PG_VERSION'))) {
        mkdirSync(cluster, { recursive: true });
        if (owner) chownSync(cluster, owner.uid, owner.gid);
        execFileSync(
          path.join(bin, 'initdb'),
          ['-D', data, '-U', 'platform', '--auth=trust', '-E', 'UTF8', '--no-locale'],
          { ...asOwner, stdio: 'ignore' },
        );
      }
      spawnDetached(
        path.join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'max_connections=300',
          // A throwaway development cluster: durability against power loss buys nothing here.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
        { ...asOwner, logFile, pidFile },
      );
    },
    async probe() {
      const client = new pg.Client({
        connectionString: url('postgres'),
        connectionTimeoutMillis: 1000,
      });
      await client.connect();
      try {
        await client.query('SELECT 1');
        for (const database of DATABASES) {
          const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
            database,
          ]);
          if (!rowCount) await client.query(`CREATE DATABASE ${database}`);
        }
      } finally {
        await client.end();
      }
      const ferretdb = new pg.Client({
        connectionString: url('ferretdb'),
        connectionTimeoutMillis: 1000,
      });
      await ferretdb.connect();
      try {
        await installFerretdbIndexCompanions(ferretdb);
      } finally {
        await ferretdb.end();
      }
    },
    describe: () => `127.0.0.1:${port} (POSTGRES_PORT) data ${data}`,
  };
}
