import { describe, expect, it } from '@jest/globals';
import { SubgraphAttemptError, SubgraphUnavailableError } from './subgraph-failure.js';
import { subgraphFetchPolicy, type SubgraphFetchPolicyOptions } from './subgraph-fetch-policy.js';

const options: SubgraphFetchPolicyOptions = {
  timeoutMs: 1000,
  retries: 2,
  breaker: { consecutiveFailures: 100, halfOpenAfterMs: 100 },
};

/** An attempt that fails the first `failures` times with `error`, then answers 'ok'. */
function flaky(failures: number, error: () => Error) {
  const attempt = async () => {
    attempt.calls += 1;
    if (attempt.calls <= failures) throw error();
    return 'ok';
  };
  attempt.calls = 0;
  return attempt;
}

const unavailableBecause = (reason: string) =>
  expect.objectContaining({ name: 'SubgraphUnavailableError', subgraph: 'data', reason });

describe('subgraphFetchPolicy', () => {
  it('retries a query after a connection failure or a 503, up to the retries', async () => {
    const policy = subgraphFetchPolicy('data', options);

    const recovering = flaky(2, () => new SubgraphAttemptError('network'));
    await expect(policy.execute(true, recovering)).resolves.toBe('ok');
    expect(recovering.calls).toBe(3);

    const failing = flaky(Infinity, () => new SubgraphAttemptError('bad_status', 503));
    await expect(policy.execute(true, failing)).rejects.toEqual(unavailableBecause('bad_status'));
    expect(failing.calls).toBe(3);
  });

  it('does not retry a 500, nor anything that is not a retryable request', async () => {
    const policy = subgraphFetchPolicy('data', options);

    const serverError = flaky(1, () => new SubgraphAttemptError('bad_status', 500));
    await expect(policy.execute(true, serverError)).rejects.toEqual(
      unavailableBecause('bad_status'),
    );
    expect(serverError.calls).toBe(1);

    const mutation = flaky(1, () => new SubgraphAttemptError('bad_status', 503));
    await expect(policy.execute(false, mutation)).rejects.toBeInstanceOf(SubgraphUnavailableError);
    expect(mutation.calls).toBe(1);
  });

  it('passes other errors through untouched, without retrying or counting them', async () => {
    const failures: string[] = [];
    const policy = subgraphFetchPolicy('data', options, {
      onFailure: (reason) => failures.push(reason),
    });
    const bug = flaky(1, () => new TypeError('a bug'));

    await expect(policy.execute(true, bug)).rejects.toThrow(TypeError);
    expect(bug.calls).toBe(1);
    expect(failures).toEqual([]);
  });

  it('aborts the attempt at the timeout and gives up as a timeout', async () => {
    const policy = subgraphFetchPolicy('data', { ...options, timeoutMs: 50 });
    let seenSignal: AbortSignal | undefined;

    const result = policy.execute(true, (signal) => {
      seenSignal = signal;
      return new Promise<string>((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    });

    await expect(result).rejects.toEqual(unavailableBecause('timeout'));
    expect(seenSignal?.aborted).toBe(true);
  });

  it('opens after the consecutive failures, refuses without attempting, then lets a trial through', async () => {
    const failures: string[] = [];
    const changes: string[] = [];
    const policy = subgraphFetchPolicy(
      'data',
      { ...options, retries: 0, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 100 } },
      {
        onFailure: (reason) => failures.push(reason),
        onBreakerChange: (state) => changes.push(state),
      },
    );
    const down = flaky(Infinity, () => new SubgraphAttemptError('network'));

    await expect(policy.execute(true, down)).rejects.toEqual(unavailableBecause('network'));
    await expect(policy.execute(true, down)).rejects.toEqual(unavailableBecause('network'));
    expect(policy.breakerState).toBe('open');
    await expect(policy.execute(true, down)).rejects.toEqual(unavailableBecause('breaker_open'));
    expect(down.calls).toBe(2);

    const back = flaky(0, () => new Error('unused'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(policy.execute(true, back)).resolves.toBe('ok');
    expect(policy.breakerState).toBe('closed');
    expect(failures).toEqual(['network', 'network', 'breaker_open']);
    expect(changes).toEqual(['open', 'half-open', 'closed']);
  });
});
