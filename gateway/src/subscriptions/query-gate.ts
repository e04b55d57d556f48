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
 * Waiting queries are queued per user and a freed place goes to the next user in turn, so one
 * user's fan-out (a hundred subscriptions) delays another user's notification by at most one
 * query of each, not by all of them. Each user's queue is first in, first out, and nothing is
 * dropped: refusing would lose a notification, and the queues are bounded anyway, because a
 * stream has at most one query running or waiting (it works through its tasks one at a time) and
 * the caps bound the streams.
 * Written here rather than with cockatiel's `bulkhead`, which has one queue for everyone, and
 * hands a freed place to its next waiter a microtask later (a newcomer arriving in between takes
 * the place and the waiter goes to the back of the queue, which under steady load can starve it).
 */
export function queryGate(runQuery: RunQuery, concurrency: number): QueryGate {
  // Insertion order is the turn order: a user served goes to the back while it still waits.
  const queues = new Map<string, (() => void)[]>();
  let waiting = 0;
  let running = 0;

  const nextInTurn = (): (() => void) | undefined => {
    const first = queues.entries().next();
    if (first.done) return undefined;
    const [user, queue] = first.value;
    const resolve = queue.shift()!;
    queues.delete(user);
    if (queue.length > 0) queues.set(user, queue);
    waiting -= 1;
    return resolve;
  };
  // A place passes straight from a finished query to the next waiter: `running` never drops.
  const release = () => {
    const next = nextInTurn();
    if (next) next();
    else running -= 1;
  };
  const place = (user: string): Promise<void> => {
    if (running < concurrency) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const queue = queues.get(user);
      if (queue) queue.push(resolve);
      else queues.set(user, [resolve]);
      waiting += 1;
    });
  };

  return {
    run: async (query, principal) => {
      await place(principal.userId);
      try {
        return await runQuery(query, principal);
      } finally {
        release();
      }
    },
    waiting: () => waiting,
    running: () => running,
  };
}
