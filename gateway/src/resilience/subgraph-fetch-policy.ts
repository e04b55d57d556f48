import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  IsolatedCircuitError,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
} from 'cockatiel';
import {
  SubgraphAttemptError,
  SubgraphUnavailableError,
  type SubgraphFailureReason,
} from './subgraph-failure.js';

export interface SubgraphFetchPolicyOptions {
  /** The whole fetch, retries and their backoff included, ends by then. */
  timeoutMs: number;
  /** Extra attempts for a query after a connection failure or a 502/503/504 (never a mutation). */
  retries: number;
  breaker: {
    /** Failed attempts in a row that open the breaker. */
    consecutiveFailures: number;
    /** How long an open breaker refuses requests before letting one trial request through. */
    halfOpenAfterMs: number;
  };
}

/** What a policy reports, for metrics and logs. */
export interface SubgraphFetchObserver {
  /** Each failed attempt, and each request the open breaker refused. */
  onFailure?: (reason: SubgraphFailureReason) => void;
  /** The breaker's new state, each time it changes. */
  onBreakerChange?: (state: BreakerState) => void;
}

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface SubgraphFetchPolicy {
  readonly subgraph: string;
  readonly breakerState: BreakerState;
  /**
   * Runs one subgraph fetch. `attempt` gets a signal that aborts at the timeout; it throws a
   * SubgraphAttemptError when the subgraph failed (unreachable, 5xx, aborted). A `retryable` fetch
   * (a query) is attempted again with exponential backoff and jitter after a connection failure or
   * a 502/503/504. Every attempt goes through the subgraph's circuit breaker.
   * @throws SubgraphUnavailableError when the fetch gave up; other errors pass through unchanged.
   */
  execute<T>(retryable: boolean, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

/** First backoff delay before jitter; the next ones grow exponentially up to MAX_BACKOFF_MS. */
const INITIAL_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 1000;

const BREAKER_STATES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** The timeout passed while a retry waited: no attempt is made, and the breaker is not told. */
class DeadlinePassed extends Error {}

/**
 * Timeout, retries (queries only) and a circuit breaker around every fetch to one subgraph. Make
 * one per subgraph per gateway and share it across requests: the breaker counts them all.
 *
 *   timeout (whole fetch) -> retry (queries) -> circuit breaker -> attempt (fetch with signal)
 *
 * The timeout is aggressive: the fetch answers at the deadline even if a retry's backoff is
 * still sleeping, and the same signal aborts the attempt in flight (cooperative cancellation).
 */
export function subgraphFetchPolicy(
  subgraph: string,
  options: SubgraphFetchPolicyOptions,
  observer: SubgraphFetchObserver = {},
): SubgraphFetchPolicy {
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof SubgraphAttemptError),
    {
      halfOpenAfter: options.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breaker.consecutiveFailures),
    },
  );
  breaker.onStateChange((state) => observer.onBreakerChange?.(BREAKER_STATES[state]));

  const retries = retry(
    handleWhen((error) => error instanceof SubgraphAttemptError && error.retryable),
    {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({
        initialDelay: INITIAL_BACKOFF_MS,
        maxDelay: MAX_BACKOFF_MS,
      }),
    },
  );

  // The attempt has read the whole answer before it returns, so nothing is left to abort then;
  // aborting anyway would build a DOMException per fetch (1.4% of the gateway's CPU).
  const deadline = timeout(options.timeoutMs, {
    strategy: TimeoutStrategy.Aggressive,
    abortOnReturn: false,
  });

  const attemptThroughBreaker = async <T>(
    attempt: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> => {
    if (signal.aborted) throw new DeadlinePassed();
    try {
      return await breaker.execute(async () => {
        try {
          return await attempt(signal);
        } catch (error) {
          // Whatever an aborted attempt threw, it failed because the subgraph was too slow.
          const failure =
            signal.aborted && !(error instanceof SubgraphAttemptError)
              ? new SubgraphAttemptError('timeout', undefined, { cause: error })
              : error;
          if (failure instanceof SubgraphAttemptError) observer.onFailure?.(failure.reason);
          throw failure;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        observer.onFailure?.('breaker_open');
      }
      throw error;
    }
  };

  return {
    subgraph,
    get breakerState() {
      return BREAKER_STATES[breaker.state];
    },
    async execute(retryable, attempt) {
      try {
        return await deadline.execute(({ signal }) =>
          retryable
            ? retries.execute(() => attemptThroughBreaker(attempt, signal), signal)
            : attemptThroughBreaker(attempt, signal),
        );
      } catch (error) {
        const reason = failureReason(error);
        if (!reason) throw error;
        throw new SubgraphUnavailableError(subgraph, reason, { cause: error });
      }
    },
  };
}

function failureReason(error: unknown): SubgraphFailureReason | undefined {
  if (error instanceof SubgraphAttemptError) return error.reason;
  if (error instanceof TaskCancelledError || error instanceof DeadlinePassed) return 'timeout';
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    return 'breaker_open';
  }
  return undefined;
}
