import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AuthenticatedPrincipal } from '@platform/identity';
import { canonicalJson } from '../response-cache/index.js';
import type { RunQuery } from './run-query.js';

export interface SharedQueriesOptions {
  /** How long a result without errors is still handed out after it arrived. */
  keepMs: number;
  /** Bytes of JSON kept at most (least recently used go first); a larger result is not kept. */
  maxBytes?: number;
  /** A query was run (it was neither in flight nor kept). */
  onRun?: () => void;
  /** A query was answered by one already run or running. */
  onShared?: () => void;
}

/**
 * One event reaching many identical subscriptions of one principal is resolved once: a
 * `shareable` query identical to one in flight or answered less than `keepMs` ago (same principal,
 * text, operation name and variables, which name the notification) gets that one's result. Other
 * queries (replay pages) always run. Without this, 100
 * subscriptions of one selection on one socket ran 100 internal queries per event.
 *
 * Only the principal's own queries are shared, so a result never crosses users, API keys or
 * scopes. A query that fails, or answers with errors, is shared while it is in flight only; the
 * next one runs again. Sharers get the same result object: the resolvers build new objects around
 * it and nothing mutates it.
 */
export function sharedQueries(runQuery: RunQuery, options: SharedQueriesOptions): RunQuery {
  const { keepMs, maxBytes = 16 * 1024 * 1024, onRun, onShared } = options;
  const inFlight = new Map<string, Promise<FormattedExecutionResult>>();
  const kept = new LRUCache<string, FormattedExecutionResult>({
    maxSize: maxBytes,
    sizeCalculation: (result) => Math.max(1, JSON.stringify(result).length),
    ttl: keepMs,
  });
  return (query, principal) => {
    if (!query.shareable) return runQuery(query, principal);
    const key = canonicalJson([
      principalKey(principal),
      query.query,
      query.operationName,
      query.variables,
      query.moment ?? null,
    ]);
    const known = kept.get(key);
    const shared = known ? Promise.resolve(known) : inFlight.get(key);
    if (shared) {
      onShared?.();
      return shared;
    }
    onRun?.();
    const result = runQuery(query, principal);
    inFlight.set(key, result);
    result.then(
      (settled) => {
        inFlight.delete(key);
        if (!settled.errors?.length) kept.set(key, settled); // lru-cache skips one over maxBytes
      },
      () => inFlight.delete(key),
    );
    return result;
  };
}

function principalKey(principal: AuthenticatedPrincipal): unknown[] {
  return [
    principal.kind,
    principal.userId,
    principal.role,
    principal.kind === 'apiKey' ? principal.apiKeyId : null,
    [...principal.scopes].sort(),
  ];
}
