import type { RunQuery } from './run-query.js';

export interface QueryGate {
  /** Runs the query once one of the gate's places is free, in arrival order. */
  run: RunQuery;
  /** Queries waiting for a place. */
  waiting(): number;
  /** Queries running now (at most the concurrency). */
  running(): number;
}

/**
 * Bounds the queries subscriptions run on their subscribers' behalf to `concurrency` at once per
 * process (SUBSCRIPTION_RESOLVE_CONCURRENCY), so one event fanned out to many subscriptions is
 * resolved a few at a time and never crowds out HTTP requests or times out a subgraph into its
 * breaker.
 *
 * The queue is unbounded: refusing would lose a notification, and it is bounded anyway, because a
 * stream has at most one query running or waiting (it works through its tasks one at a time) and
 * the caps bound the streams. It is strictly first in, first out, so nothing waits forever.
 * Written here rather than with cockatiel's `bulkhead` because that one hands a freed place to
 * the next waiter a microtask later: a newcomer arriving in between takes the place and the
 * waiter goes to the back of the queue, which under steady load can starve it.
 */
export function queryGate(runQuery: RunQuery, concurrency: number): QueryGate {
  const queue: (() => void)[] = [];
  let running = 0;

  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  };
  // A place passes straight from a finished query to the first waiter: `running` never drops.
  const place = (): Promise<void> => {
    if (running < concurrency) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => queue.push(resolve));
  };

  return {
    run: async (query, principal) => {
      await place();
      try {
        return await runQuery(query, principal);
      } finally {
        release();
      }
    },
    waiting: () => queue.length,
    running: () => running,
  };
}
