import type { RedisConnection } from '@platform/redis';
import type { Logger } from '@platform/logger';
import { commandTimeoutOf } from './connection.js';
import { TIMED_OUT, withinDeadline } from './deadline.js';

/** What a feature tells its outage tracker about each Redis command. */
export interface RedisOutage {
  /** Redis failed a command, or could not be sent one; the first failure of an outage is logged. */
  failed(fields?: Record<string, unknown>): void;
  /** Redis answered; ends an ongoing outage, logged with how long it lasted and what it cost. */
  answered(fields?: Record<string, unknown>): void;
  /** Whether an outage is going on (failed since Redis last answered). */
  readonly ongoing: boolean;
}

/**
 * Logs each Redis outage of one feature twice, however many commands it fails: `down` at warn with
 * the first failure's fields, and `up` at info when Redis answers again, with `outageMs` and
 * `failures` (the commands that failed meanwhile).
 */
export function redisOutage(logger: Logger, messages: { down: string; up: string }): RedisOutage {
  let outage: { startedAt: number; failures: number } | undefined;
  return {
    failed(fields = {}) {
      if (!outage) {
        outage = { startedAt: performance.now(), failures: 0 };
        logger.warn(fields, messages.down);
      }
      outage.failures += 1;
    },
    answered(fields = {}) {
      if (!outage) return;
      const { startedAt, failures } = outage;
      outage = undefined;
      logger.info(
        { ...fields, outageMs: Math.round(performance.now() - startedAt), failures },
        messages.up,
      );
    },
    get ongoing() {
      return outage !== undefined;
    },
  };
}

/**
 * How a feature that can do without Redis sends a command: only on a ready connection (no queueing
 * behind a reconnect), within the connection's `commandTimeoutMs` (`withinDeadline`), and a
 * failure, reported to `outage` with `fields` (and `onFailure`, e.g. to count a bypass), answers
 * undefined instead of throwing.
 */
export function degradingCommands(redis: RedisConnection, outage: RedisOutage) {
  const timeoutMs = commandTimeoutOf(redis);
  return async <T>(
    command: () => Promise<T>,
    { fields = {}, onFailure }: { fields?: Record<string, unknown>; onFailure?: () => void } = {},
  ): Promise<T | undefined> => {
    try {
      if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
      const answer = command();
      const value =
        timeoutMs === undefined ? await answer : await withinDeadline(answer, timeoutMs);
      if (value === TIMED_OUT) throw new Error(`Redis did not answer within ${timeoutMs} ms`);
      outage.answered();
      return value;
    } catch (error) {
      onFailure?.();
      outage.failed({ ...fields, err: error });
      return undefined;
    }
  };
}
