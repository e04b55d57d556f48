import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stackEndpoints } from '@platform/config';
import { redisTargetOf, type RedisMode, type RedisTarget } from '@platform/redis';
import { startRedisCluster, stopRedisCluster, type RedisClusterOptions } from '@platform/stack';
import { freePort } from './private-services.js';

export interface PrivateRedisCluster {
  /** A seed node's URL, for REDIS_URL with REDIS_MODE=cluster. */
  url: string;
  ports: number[];
  /** Stops the nodes and removes their files. */
  dispose(): Promise<void>;
}

/**
 * A three-node Redis Cluster of the test's own (three primaries, no replicas) on free ports, for
 * the suites that prove a feature on a cluster; about a second to start.
 */
export async function startPrivateRedisCluster(
  options: Pick<RedisClusterOptions, 'extraArgs' | 'auth'> & {
    /** Settings of node `index` (0-2) alone, e.g. a TLS port of its own: `['--tls-port', ...]`. */
    nodeArgs?: (index: number) => Promise<string[]> | string[];
  } = {},
): Promise<PrivateRedisCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'private-redis-cluster-'));
  const nodes = [];
  for (let i = 0; i < 3; i += 1) {
    const extraArgs = (await options.nodeArgs?.(i)) ?? [];
    nodes.push({ port: await freePort(), busPort: await freePort(), extraArgs });
  }
  try {
    const cluster = await startRedisCluster({
      nodes,
      dir,
      extraArgs: options.extraArgs,
      auth: options.auth,
    });
    return {
      url: cluster.url,
      ports: cluster.ports,
      dispose: async () => {
        await cluster.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopRedisCluster({ nodes, dir });
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The deployments a Redis feature's suite runs on: `describe.each(REDIS_MODES_UNDER_TEST)`. */
export const REDIS_MODES_UNDER_TEST = ['standalone', 'cluster'] as const satisfies RedisMode[];

export interface RedisUnderTest {
  mode: RedisMode;
  target: RedisTarget;
  /** What a service's config takes: REDIS_URL and REDIS_MODE. */
  settings: { REDIS_URL: string; REDIS_MODE: RedisMode };
  /** Stops the private cluster; nothing for the stack's server. */
  dispose(): Promise<void>;
}

/** The stack's Redis for `standalone`, a private three-node cluster for `cluster`. */
export async function startRedisUnderTest(mode: RedisMode): Promise<RedisUnderTest> {
  const cluster = mode === 'cluster' ? await startPrivateRedisCluster() : undefined;
  const url = cluster?.url ?? stackEndpoints().redis.url;
  return {
    mode,
    target: redisTargetOf(url, mode),
    settings: { REDIS_URL: url, REDIS_MODE: mode },
    dispose: async () => cluster?.dispose(),
  };
}
