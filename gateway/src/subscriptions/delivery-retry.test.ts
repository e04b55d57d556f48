import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { deliveryRetry, isIncomplete, isRetryableError, resumeLater } from './delivery-retry.js';

const coded = (code: string) => new GraphQLError(code, { extensions: { code } });
const fast = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

/** Answers `results` one by one, counting the attempts; the last one repeats. */
function answering<T>(...results: T[]) {
  let attempts = 0;
  return {
    attempts: () => attempts,
    resolve: async () => results[Math.min(attempts++, results.length - 1)]!,
  };
}

/** A result as the resolver answers it, typed as the check reads it. */
const answer = (result: { data?: unknown; errors?: GraphQLError[] }) => result;

describe('what a live delivery retries', () => {
  it('retries "not right now" codes, never answers such as FORBIDDEN or NOT_FOUND', () => {
    for (const code of [
      'SUBGRAPH_UNAVAILABLE',
      'CONCURRENCY_LIMIT_EXCEEDED',
      'RATE_LIMITED',
      'SERVICE_UNAVAILABLE',
    ]) {
      expect(isRetryableError(coded(code))).toBe(true);
    }
    for (const code of ['FORBIDDEN', 'NOT_FOUND', 'INTERNAL_SERVER_ERROR', 'BAD_USER_INPUT']) {
      expect(isRetryableError(coded(code))).toBe(false);
    }
    expect(isRetryableError(new Error('no code'))).toBe(false);
  });

  it('counts a partial answer incomplete when any of its errors is retryable', () => {
    expect(
      isIncomplete(
        answer({ data: { n: { actor: null } }, errors: [coded('SUBGRAPH_UNAVAILABLE')] }),
      ),
    ).toBe(true);
    expect(
      isIncomplete(answer({ data: { n: { actor: null } }, errors: [coded('FORBIDDEN')] })),
    ).toBe(false);
    expect(isIncomplete(answer({ data: { n: {} } }))).toBe(false);
  });
});

describe('deliveryRetry', () => {
  it('resolves again until the answer is complete, reporting each retry', async () => {
    let retries = 0;
    const retrying = deliveryRetry(fast, { onRetry: () => (retries += 1) });
    const incomplete = { errors: [coded('SUBGRAPH_UNAVAILABLE')] };
    const healed = { data: { ok: true } };
    const answers = answering<{ errors?: GraphQLError[]; data?: unknown }>(
      incomplete,
      incomplete,
      healed,
    );

    const result = await retrying(answers.resolve, isIncomplete, new AbortController().signal);

    expect(result).toBe(healed);
    expect(answers.attempts()).toBe(3);
    expect(retries).toBe(2);
  });

  it('returns the last incomplete answer once the attempts are spent, and reports giving up', async () => {
    let givenUp = 0;
    const retrying = deliveryRetry(fast, { onGiveUp: () => (givenUp += 1) });
    const incomplete = { errors: [coded('SUBGRAPH_UNAVAILABLE')] };
    const answers = answering(incomplete);

    const result = await retrying(answers.resolve, isIncomplete, new AbortController().signal);

    expect(result).toBe(incomplete);
    expect(answers.attempts()).toBe(fast.attempts);
    expect(givenUp).toBe(1);
  });

  it('retries a thrown retryable error and rethrows it at the end; other errors at once', async () => {
    const retrying = deliveryRetry(fast);
    let attempts = 0;
    const unavailable = coded('SUBGRAPH_UNAVAILABLE');
    await expect(
      retrying(
        async () => {
          attempts += 1;
          throw unavailable;
        },
        () => false,
        new AbortController().signal,
      ),
    ).rejects.toBe(unavailable);
    expect(attempts).toBe(fast.attempts);

    attempts = 0;
    const forbidden = coded('FORBIDDEN');
    await expect(
      retrying(
        async () => {
          attempts += 1;
          throw forbidden;
        },
        () => false,
        new AbortController().signal,
      ),
    ).rejects.toBe(forbidden);
    expect(attempts).toBe(1);
  });

  it('makes no further attempt once its stream ended', async () => {
    const retrying = deliveryRetry({ attempts: 10, baseDelayMs: 20, maxDelayMs: 20 });
    const ended = new AbortController();
    const answers = answering({ errors: [coded('SUBGRAPH_UNAVAILABLE')] });
    const settled = retrying(answers.resolve, isIncomplete, ended.signal).catch((e) => e);
    ended.abort();
    await settled;
    expect(answers.attempts()).toBeLessThanOrEqual(1);
  });
});

describe('resumeLater', () => {
  it('is a retryable SERVICE_UNAVAILABLE that names its cause and says how to resume', () => {
    const error = resumeLater(coded('SUBGRAPH_UNAVAILABLE'));
    expect(error.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      cause: 'SUBGRAPH_UNAVAILABLE',
    });
    expect(error.message).toMatch(/since set to the last cursor you received/);
  });
});
