/** Work refused because its key already had `limit` tasks running for `maxWaitMs`. */
export class ConcurrencyLimitedError extends Error {
  override readonly name = 'ConcurrencyLimitedError';

  constructor(
    readonly limit: number,
    readonly waitedMs: number,
  ) {
    super(`${limit} requests of this caller were already in flight for ${waitedMs} ms`);
  }
}

export interface ConcurrencyLimitOptions {
  /** Tasks of one key running at once. */
  limit: number;
  /** How long a task waits for a slot before it is refused; Infinity: it waits its turn. */
  maxWaitMs: number;
}

export interface ConcurrencyLimit {
  /**
   * Runs `task` once fewer than `limit` tasks of `key` run, in arrival order.
   * @throws ConcurrencyLimitedError when no slot freed within `maxWaitMs`; `task` never ran.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /**
   * A slot of `key`, for work that does not fit one function (it starts in one hook and ends in
   * another); call the returned release once it is done (calling it again does nothing).
   * @throws ConcurrencyLimitedError as `run` does.
   */
  acquire(key: string): Promise<() => void>;
  /** Tasks of `key` running now (0 for a key with none). */
  running(key: string): number;
}

interface Waiter {
  start: () => void;
  timer?: NodeJS.Timeout;
}

interface Slots {
  running: number;
  waiters: Waiter[];
}

/**
 * A semaphore per key with a bounded wait. Hand-written rather than cockatiel's bulkhead: the
 * bulkhead is one semaphore (not one per key) and has no wait limit; a cancelled waiter stays in
 * its queue until a slot frees, and that slot then serves no one until the next one frees.
 * A key's entry lives only while it has tasks running or waiting.
 */
export function concurrencyLimit({ limit, maxWaitMs }: ConcurrencyLimitOptions): ConcurrencyLimit {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`a concurrency limit must be a whole number >= 1, got ${limit}`);
  }
  const byKey = new Map<string, Slots>();

  const release = (key: string, slots: Slots) => {
    const next = slots.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.start(); // the slot passes straight to the next waiter
      return;
    }
    slots.running -= 1;
    if (slots.running === 0) byKey.delete(key);
  };

  const slotOf = (key: string): Promise<Slots> => {
    let slots = byKey.get(key);
    if (!slots) {
      slots = { running: 0, waiters: [] };
      byKey.set(key, slots);
    }
    if (slots.running < limit) {
      slots.running += 1;
      return Promise.resolve(slots);
    }
    const waiting = slots;
    return new Promise<Slots>((resolve, reject) => {
      const waiter: Waiter = { start: () => resolve(waiting) };
      if (Number.isFinite(maxWaitMs)) {
        waiter.timer = setTimeout(() => {
          waiting.waiters.splice(waiting.waiters.indexOf(waiter), 1);
          reject(new ConcurrencyLimitedError(limit, maxWaitMs));
        }, maxWaitMs);
      }
      waiting.waiters.push(waiter);
    });
  };

  return {
    async run(key, task) {
      const slots = await slotOf(key);
      try {
        return await task();
      } finally {
        release(key, slots);
      }
    },
    async acquire(key) {
      const slots = await slotOf(key);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release(key, slots);
      };
    },
    running: (key) => byKey.get(key)?.running ?? 0,
  };
}
