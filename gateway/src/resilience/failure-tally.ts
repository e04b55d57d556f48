import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@platform/logger';

/** Why a subgraph fetch brought no answer: the subgraph's failures, and fetches shed before it. */
export type FetchFailureReason = 'timeout' | 'network' | 'bad_status' | 'breaker_open' | 'shed';

/** Reasons that say a subgraph is unwell now (the rest were logged elsewhere, or are the caller's). */
const ALARMING = new Set<FetchFailureReason>(['timeout', 'network', 'bad_status']);

/**
 * The fetches of one request that brought no answer, counted by subgraph and reason, to log as
 * one line when the request ends instead of one line per fetch (a batch of 1000 operations once
 * wrote 588 warnings).
 */
export class FetchFailureTally {
  private readonly counts = new Map<string, Map<FetchFailureReason, number>>();

  note(subgraph: string, reason: FetchFailureReason): void {
    let bySubgraph = this.counts.get(subgraph);
    if (!bySubgraph) {
      bySubgraph = new Map();
      this.counts.set(subgraph, bySubgraph);
    }
    bySubgraph.set(reason, (bySubgraph.get(reason) ?? 0) + 1);
  }

  /** `{ user: { timeout: 3, breaker_open: 585 } }` */
  byReason(): Record<string, Partial<Record<FetchFailureReason, number>>> {
    return Object.fromEntries(
      [...this.counts].map(([subgraph, reasons]) => [subgraph, Object.fromEntries(reasons)]),
    );
  }

  /**
   * One line, when anything failed: a warning when a subgraph timed out, was unreachable or
   * answered 5xx; debug when every fetch was refused by an open breaker (its opening is logged
   * once) or shed by the caller's own concurrency limit.
   */
  log(logger: Logger): void {
    if (this.counts.size === 0) return;
    const alarming = [...this.counts.values()].some((reasons) =>
      [...reasons.keys()].some((reason) => ALARMING.has(reason)),
    );
    logger[alarming ? 'warn' : 'debug']({ failures: this.byReason() }, 'subgraph unavailable');
    this.counts.clear();
  }
}

/** What a request context carries so every fetch of the request counts into one tally. */
export interface FetchFailureContext {
  fetchFailures?: FetchFailureTally;
  logger: Logger;
}

/**
 * For operations whose context brings no tally (the ones the gateway runs itself, such as a
 * notification resolved for a subscriber): one tally per operation, logged when it answers. HTTP
 * requests get theirs in the context function, shared by every operation of a batch and logged
 * once the response is sent.
 */
export function fetchFailureLog<
  TContext extends FetchFailureContext,
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (contextValue.fetchFailures) return;
      const tally = new FetchFailureTally();
      contextValue.fetchFailures = tally;
      return {
        async willSendResponse() {
          tally.log(contextValue.logger);
        },
      };
    },
  };
}
