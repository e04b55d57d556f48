import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { stackPath } from '../paths.js';
import { run, runningPid, spawnDetached, stopProcess, waitUntilReady } from '../processes.js';
import { ensureDebianPackages } from '../system-packages.js';

/** One node of the cluster: clients connect to `port`, the nodes gossip on `busPort`. */
export interface RedisClusterNode {
  port: number;
  busPort: number;
  /** redis-server settings of this node only, e.g. its `--tls-port`. */
  extraArgs?: string[];
}

export interface RedisClusterOptions {
  /** Three (or more) nodes, each a primary with a third of the slots (no replicas). */
  nodes: RedisClusterNode[];
  /** Each node's data, nodes.conf, log and pid file go under `<dir>/<port>/`. */
  dir: string;
  /**
   * redis-server settings every node gets, e.g. `['--user', 'alice', 'on', '>secret', '~*',
   * '&*', '+@all']` for an ACL user (redis-cli then needs `auth` to create the cluster).
   */
  extraArgs?: string[];
  /** Credentials redis-cli and the probe use when the default user is off. */
  auth?: { username: string; password: string };
}

export interface RedisCluster {
  /** `redis://127.0.0.1:<port>` of the first node: a seed for REDIS_URL with REDIS_MODE=cluster. */
  url: string;
  ports: number[];
  /** Stops every node (their files stay). */
  stop(): Promise<void>;
}

const nodeFiles = (dir: string, port: number) => {
  const home = path.join(dir, String(port));
  return {
    home,
    logFile: path.join(home, 'redis.log'),
    pidFile: path.join(home, 'redis.pid'),
  };
};

/**
 * A Redis Cluster of Debian's redis-server on loopback: one process per node
 * (`--cluster-enabled yes`, the bus port set explicitly so any client port works), then
 * `redis-cli --cluster create ... --cluster-replicas 0` once, and waits until every node reports
 * `cluster_state:ok`. Nodes already running (a second `up`) are kept as they are.
 */
export async function startRedisCluster({
  nodes,
  dir,
  extraArgs = [],
  auth,
}: RedisClusterOptions): Promise<RedisCluster> {
  ensureDebianPackages([
    { command: 'redis-server', pkg: 'redis-server' },
    { command: 'redis-cli', pkg: 'redis-tools' },
  ]);
  for (const { port, busPort, extraArgs: nodeArgs = [] } of nodes) {
    const { home, logFile, pidFile } = nodeFiles(dir, port);
    if (runningPid(pidFile) !== undefined) continue;
    mkdirSync(home, { recursive: true });
    spawnDetached(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', home],
        ...['--save', '', '--appendonly', 'no'],
        ...['--cluster-enabled', 'yes', '--cluster-port', String(busPort)],
        ...['--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'],
        ...extraArgs,
        ...nodeArgs,
      ],
      { logFile, pidFile },
    );
  }
  const clients = nodes.map(
    ({ port }) =>
      new Redis({
        port,
        host: '127.0.0.1',
        ...(auth ?? {}),
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => 200,
      }),
  );
  // A node that is still starting refuses connections: its pings fail until it answers.
  for (const client of clients) client.on('error', () => undefined);
  try {
    for (const [index, { port }] of nodes.entries()) {
      const { logFile, pidFile } = nodeFiles(dir, port);
      await waitUntilReady(`redis cluster node ${port}`, logFile, () => clients[index]!.ping(), {
        timeoutMs: 30_000,
        isRunning: () => runningPid(pidFile) !== undefined,
      });
    }
    const state = async () =>
      Promise.all(
        clients.map(async (client) =>
          /cluster_state:ok/.test(String(await client.call('CLUSTER', 'INFO'))),
        ),
      );
    const slotsAssigned = /cluster_slots_assigned:16384/.test(
      String(await clients[0]!.call('CLUSTER', 'INFO')),
    );
    if (!slotsAssigned) {
      run('redis-cli', [
        ...(auth ? ['--user', auth.username, '--pass', auth.password, '--no-auth-warning'] : []),
        '--cluster',
        'create',
        ...nodes.map(({ port }) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
    }
    const deadline = Date.now() + 30_000;
    while (!(await state()).every(Boolean)) {
      if (Date.now() > deadline)
        throw new Error('the Redis cluster did not reach cluster_state:ok');
      await sleep(100);
    }
  } finally {
    for (const client of clients) client.disconnect();
  }
  return {
    url: `redis://127.0.0.1:${nodes[0]!.port}`,
    ports: nodes.map(({ port }) => port),
    stop: () => stopRedisCluster({ nodes, dir }),
  };
}

/** Stops the nodes of a cluster `startRedisCluster` started in `dir`, if they run. */
export async function stopRedisCluster({
  nodes,
  dir,
}: Pick<RedisClusterOptions, 'nodes' | 'dir'>): Promise<void> {
  await Promise.all(
    nodes.map(async ({ port }) => {
      const pid = runningPid(nodeFiles(dir, port).pidFile);
      if (pid !== undefined) await stopProcess(pid);
    }),
  );
}

const stackClusterPorts = z.object({ REDIS_CLUSTER_PORT: env.port(56380) });

/**
 * The stack's cluster (`npm run stack -- up --redis-cluster`): three nodes from REDIS_CLUSTER_PORT
 * (56380-56382, bus ports 56390-56392), under .stack/redis-cluster; for trying REDIS_MODE=cluster
 * by hand. The test suites start clusters of their own (`startPrivateRedisCluster`).
 */
export function stackRedisCluster(source: NodeJS.ProcessEnv = process.env) {
  const { REDIS_CLUSTER_PORT: first } = loadConfig(stackClusterPorts, source);
  const nodes = [0, 1, 2].map((i) => ({ port: first + i, busPort: first + 10 + i }));
  const dir = stackPath('redis-cluster');
  return {
    up: () => startRedisCluster({ nodes, dir }),
    down: () => stopRedisCluster({ nodes, dir }),
  };
}
