import path from 'node:path';
import { freePort } from '@platform/testing';
import { benchRoot, repoRoot, supergraphPath } from './paths.js';
import { answersGet, startService, type ServiceProcess } from './processes.js';
import type { BenchSecrets } from './secrets.js';
import type { SubgraphName } from './subgraphs.js';
import type { TargetId } from './target-ids.js';

export type { TargetId } from './target-ids.js';

/** What every target is started with. */
export interface TargetContext {
  secrets: BenchSecrets;
  subgraphUrls: Record<SubgraphName, string>;
  logDir: string;
  /** The benchmark user, whom the stock gateway signs every request as. */
  benchUserId: string;
  /** The platform gateway's answer to the query, which the bare server serves (set after a). */
  capturedBodyFile?: string;
}

export interface Target {
  id: TargetId;
  name: string;
  description: string;
  /** A fresh process for this target alone, ready to serve. */
  start: (context: TargetContext) => Promise<ServiceProcess>;
  /** Measured at the first scale only: what it serves does not depend on the data. */
  firstScaleOnly?: boolean;
}

/** Far above what any run can spend, so the limiter prices and charges but never refuses. */
const UNREFUSING_RATE_LIMIT = '1000000000';

/**
 * For the gateways that only write the world (the seed, the growth), never measured: a subgraph
 * fetch may take this long, so writes 16 at a time on a busy machine (scrypt in signUp) do not
 * time out (a timed-out mutation cannot be retried blindly, it may have been applied), and the
 * anonymous limit does not refuse a hundred signUps from one address.
 */
export const WRITER_GATEWAY_ENV = {
  SUBGRAPH_TIMEOUT_MS: '30000',
  RATE_LIMIT_ANONYMOUS_CAPACITY: UNREFUSING_RATE_LIMIT,
  RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND: UNREFUSING_RATE_LIMIT,
};

function subgraphUrlEnv(urls: Record<SubgraphName, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(urls).map(([name, url]) => [`SUBGRAPH_URL_${name.toUpperCase()}`, url]),
  );
}

/** The admin tier's limits set so high the limiter never refuses an admin. */
export const UNREFUSING_ADMIN_ENV = {
  RATE_LIMIT_ADMIN_CAPACITY: UNREFUSING_RATE_LIMIT,
  RATE_LIMIT_ADMIN_REFILL_PER_SECOND: UNREFUSING_RATE_LIMIT,
};

/**
 * The platform gateway (`gateway/src/main.ts`) with every policy on; `env` adds settings such as
 * WORKER_PROCESSES or OPERATION_DEDUP_ENABLED. The user tier is set never to refuse unless
 * `userLimits` is `gateway-defaults` (the abuse soak, whose attackers are users).
 */
export async function startPlatformGateway(
  context: TargetContext,
  {
    name,
    responseCache,
    env = {},
    userLimits = 'unrefusing',
  }: {
    name: string;
    responseCache: boolean;
    env?: Record<string, string>;
    userLimits?: 'unrefusing' | 'gateway-defaults';
  },
): Promise<ServiceProcess> {
  return startService({
    name,
    cwd: path.join(repoRoot, 'gateway'),
    entry: 'src/main.ts',
    port: await freePort(),
    env: {
      ...context.secrets,
      ...subgraphUrlEnv(context.subgraphUrls),
      SUPERGRAPH_PATH: supergraphPath,
      ...(userLimits === 'unrefusing'
        ? {
            RATE_LIMIT_USER_CAPACITY: UNREFUSING_RATE_LIMIT,
            RATE_LIMIT_USER_REFILL_PER_SECOND: UNREFUSING_RATE_LIMIT,
          }
        : {}),
      RESPONSE_CACHE_ENABLED: String(responseCache),
      LOG_LEVEL: 'warn',
      ...env,
    },
    isReady: answersGet('/health/ready'),
    logDir: context.logDir,
  });
}

/** Ready once `{ __typename }` is answered: the stock server has no health route. */
async function answersTypename(baseUrl: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  await response.arrayBuffer();
  return response.ok;
}

/** Target (e): Hive Gateway (bench/src/hive-gateway.ts) with the given features. */
async function startHiveGateway(
  context: TargetContext,
  {
    name,
    deduplication,
    responseCache,
  }: { name: string; deduplication: boolean; responseCache: boolean },
): Promise<ServiceProcess> {
  return startService({
    name,
    cwd: benchRoot,
    entry: 'src/hive-gateway.ts',
    port: await freePort(),
    env: {
      ...subgraphUrlEnv(context.subgraphUrls),
      GATEWAY_SECRET: context.secrets.GATEWAY_SECRET,
      SUPERGRAPH_PATH: supergraphPath,
      BENCH_USER_ID: context.benchUserId,
      HIVE_DEDUPLICATION: String(deduplication),
      HIVE_RESPONSE_CACHE: String(responseCache),
      LOG_LEVEL: 'warn',
    },
    isReady: answersTypename,
    logDir: context.logDir,
  });
}

const PLATFORM_POLICIES =
  'gateway/src/main.ts with every policy it has on, the rate limit set high enough never to refuse (RATE_LIMIT_USER_CAPACITY and _REFILL_PER_SECOND 1e9)';

export const TARGETS: Target[] = [
  {
    id: 'a',
    name: 'platform gateway, response cache off',
    description: `${PLATFORM_POLICIES}, RESPONSE_CACHE_ENABLED=false`,
    start: (context) => startPlatformGateway(context, { name: 'gateway-a', responseCache: false }),
  },
  {
    id: 'a2',
    name: 'platform gateway, 2 processes, response cache off',
    description: 'the same as (a) with WORKER_PROCESSES=2 (node:cluster, one port)',
    start: (context) =>
      startPlatformGateway(context, {
        name: 'gateway-a2',
        responseCache: false,
        env: { WORKER_PROCESSES: '2' },
      }),
  },
  {
    id: 'a+dedup',
    name: 'platform gateway, operation deduplication on, response cache off',
    description:
      'the same as (a) with OPERATION_DEDUP_ENABLED=true: identical in-flight operations of one principal share one execution',
    start: (context) =>
      startPlatformGateway(context, {
        name: 'gateway-a-dedup',
        responseCache: false,
        env: { OPERATION_DEDUP_ENABLED: 'true' },
      }),
  },
  {
    id: 'b',
    name: 'platform gateway, response cache warm',
    description: 'the same gateway with RESPONSE_CACHE_ENABLED=true, warmed up before measuring',
    start: (context) => startPlatformGateway(context, { name: 'gateway-b', responseCache: true }),
  },
  {
    id: 'c',
    name: 'stock Apollo gateway',
    description:
      '@apollo/gateway + @apollo/server startStandaloneServer, no plugins, no authentication; identity headers signed per request for a fixed principal (bench/src/stock-gateway.ts)',
    start: async (context) =>
      startService({
        name: 'stock-gateway-c',
        cwd: benchRoot,
        entry: 'src/stock-gateway.ts',
        port: await freePort(),
        env: {
          ...subgraphUrlEnv(context.subgraphUrls),
          GATEWAY_SECRET: context.secrets.GATEWAY_SECRET,
          SUPERGRAPH_PATH: supergraphPath,
          BENCH_USER_ID: context.benchUserId,
          LOG_LEVEL: 'warn',
        },
        isReady: answersTypename,
        logDir: context.logDir,
      }),
  },
  {
    id: 'd',
    name: 'bare Node http server (ceiling)',
    firstScaleOnly: true,
    description:
      "node:http answering every request with the exact bytes of (a)'s response (bench/src/bare-server.ts)",
    start: async (context) => {
      if (!context.capturedBodyFile) throw new Error('the bare server needs the answer of (a)');
      return startService({
        name: 'bare-server-d',
        cwd: benchRoot,
        entry: 'src/bare-server.ts',
        port: await freePort(),
        env: { BODY_FILE: context.capturedBodyFile, LOG_LEVEL: 'warn' },
        isReady: answersGet('/health'),
        logDir: context.logDir,
      });
    },
  },
  {
    id: 'e',
    name: 'Hive Gateway, deduplication off, response cache off',
    description:
      '@graphql-hive/gateway 2.15.1 (createGatewayRuntime on node:http), no authentication; identity headers signed per request for a fixed principal in an onFetch hook; deduplicateInflightRequests and inboundInflightRequestDeduplication false (bench/src/hive-gateway.ts)',
    start: (context) =>
      startHiveGateway(context, {
        name: 'hive-gateway-e',
        deduplication: false,
        responseCache: false,
      }),
  },
  {
    id: 'e+dedup',
    name: 'Hive Gateway, deduplication on, response cache off',
    description:
      'the same as (e) with in-flight deduplication of identical subgraph requests (deduplicateInflightRequests, its default) and of identical client operations (inboundInflightRequestDeduplication)',
    start: (context) =>
      startHiveGateway(context, {
        name: 'hive-gateway-e-dedup',
        deduplication: true,
        responseCache: false,
      }),
  },
  {
    id: 'e+cache',
    name: 'Hive Gateway, response cache warm',
    description:
      'the same as (e) with its response cache on (responseCaching, in memory, one session per authorization header, 60 s TTL), warmed up before measuring',
    start: (context) =>
      startHiveGateway(context, {
        name: 'hive-gateway-e-cache',
        deduplication: false,
        responseCache: true,
      }),
  },
];
