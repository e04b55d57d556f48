import type { Principal } from '@platform/identity';
import { Counter, type Registry } from 'prom-client';
import {
  ConcurrencyLimitedError,
  concurrencyLimit,
  type ConcurrencyLimitOptions,
} from './concurrency-limit.js';

/** The code of the fields a fetch shed by the per-principal limit would have filled. */
export const CONCURRENCY_LIMIT_EXCEEDED = 'CONCURRENCY_LIMIT_EXCEEDED';

/** Who a subgraph fetch is for: the principal, and the address of an anonymous one. */
export interface FetchCaller {
  principal: Principal;
  clientIp: string | undefined;
}

export interface PrincipalFetchLimit {
  /**
   * Runs `fetch` once fewer than `limit` fetches of this caller to this subgraph are in flight in
   * this process. It throws ConcurrencyLimitedError when none freed in time; the fetch was never
   * sent, so the subgraph's breaker never hears of it.
   */
  run<T>(subgraph: string, caller: FetchCaller, fetch: () => Promise<T>): Promise<T>;
}

/**
 * Bounded concurrency per principal toward each subgraph (SUBGRAPH_CONCURRENCY_PER_PRINCIPAL,
 * waiting at most SUBGRAPH_CONCURRENCY_WAIT_MS): one caller's flood of fetches (a batch, many
 * parallel requests) queues behind its own slots instead of piling onto the subgraph until its
 * fetches time out and the breaker every caller shares opens. Keys are the user (every API key of
 * a user shares its slots) or, for anonymous callers, the client address. Shed fetches are counted
 * in `gateway_subgraph_fetches_shed_total{subgraph}`, never as subgraph failures.
 */
export function principalFetchLimit(
  options: ConcurrencyLimitOptions,
  registry: Registry,
): PrincipalFetchLimit {
  const limit = concurrencyLimit(options);
  const shed = new Counter({
    name: 'gateway_subgraph_fetches_shed_total',
    help: 'Subgraph fetches not sent because their caller already had SUBGRAPH_CONCURRENCY_PER_PRINCIPAL in flight for SUBGRAPH_CONCURRENCY_WAIT_MS',
    labelNames: ['subgraph'],
    registers: [registry],
  });
  return {
    async run(subgraph, caller, fetch) {
      try {
        return await limit.run(`${subgraph} ${callerKey(caller)}`, fetch);
      } catch (error) {
        if (error instanceof ConcurrencyLimitedError) shed.inc({ subgraph });
        throw error;
      }
    },
  };
}

function callerKey({ principal, clientIp }: FetchCaller): string {
  return principal.kind === 'anonymous'
    ? `ip:${clientIp ?? 'unknown'}`
    : `user:${principal.userId}`;
}
