/** Why a subgraph fetch failed in a way that says the subgraph is unwell (a metric label). */
export type SubgraphFailureReason = 'timeout' | 'network' | 'bad_status' | 'breaker_open';

/** The code of the error clients see on the fields a failed subgraph would have filled. */
export const SUBGRAPH_UNAVAILABLE = 'SUBGRAPH_UNAVAILABLE';

/** Statuses that say "try again shortly" (a proxy or an overloaded subgraph), so queries are retried. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/**
 * One attempt at a subgraph that failed for a reason counted against it by the circuit breaker:
 * it could not be reached, did not answer in time, or answered 5xx.
 */
export class SubgraphAttemptError extends Error {
  override readonly name = 'SubgraphAttemptError';

  constructor(
    readonly reason: Exclude<SubgraphFailureReason, 'breaker_open'>,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(status === undefined ? reason : `${reason} ${status}`, options);
  }

  /** Worth another attempt: the connection failed, or a 502/503/504. */
  get retryable(): boolean {
    return (
      this.reason === 'network' ||
      (this.reason === 'bad_status' && RETRYABLE_STATUSES.has(this.status ?? 0))
    );
  }
}

const DESCRIPTIONS: Record<SubgraphFailureReason, string> = {
  timeout: 'did not answer in time',
  network: 'could not be reached',
  bad_status: 'answered with a server error',
  breaker_open: 'is failing, so requests to it are paused',
};

/** A subgraph fetch that gave up: after its retries, at its timeout, or refused by its breaker. */
export class SubgraphUnavailableError extends Error {
  override readonly name = 'SubgraphUnavailableError';

  constructor(
    readonly subgraph: string,
    readonly reason: SubgraphFailureReason,
    options?: { cause?: unknown },
  ) {
    super(`Subgraph "${subgraph}" is unavailable: it ${DESCRIPTIONS[reason]}`, options);
  }
}
