import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { parsePrometheusText } from '@platform/testing';
import { DEFAULT_FETCH_POLICY } from './config.js';
import { createResilienceMetrics } from './metrics.js';
import { SubgraphAttemptError } from './subgraph-failure.js';
import { subgraphFetchPolicy } from './subgraph-fetch-policy.js';
import { timedFetchPolicy } from './timed-fetch-policy.js';

/** The fetch counts by labels, read from the registry's exposition (what /metrics serves). */
async function fetchCounts(registry: Registry) {
  return parsePrometheusText(await registry.metrics())
    .filter((sample) => sample.name === 'gateway_subgraph_fetch_duration_seconds_count')
    .map(({ labels, value }) => ({ ...labels, count: value }));
}

describe('timed subgraph fetches', () => {
  it('time each fetch under its outcome: success, the reason it gave up, or error', async () => {
    const registry = new Registry();
    const { fetchDuration } = createResilienceMetrics(registry);
    const policy = timedFetchPolicy(
      subgraphFetchPolicy('data', DEFAULT_FETCH_POLICY),
      fetchDuration,
    );

    await expect(policy.execute(false, async () => 'answer')).resolves.toBe('answer');
    await expect(
      policy.execute(false, async () => {
        throw new SubgraphAttemptError('bad_status', 500);
      }),
    ).rejects.toThrow('unavailable');
    await expect(
      policy.execute(false, async () => {
        throw new Error('a bug');
      }),
    ).rejects.toThrow('a bug');

    expect(await fetchCounts(registry)).toEqual(
      expect.arrayContaining([
        { subgraph: 'data', outcome: 'success', count: 1 },
        { subgraph: 'data', outcome: 'bad_status', count: 1 },
        { subgraph: 'data', outcome: 'error', count: 1 },
      ]),
    );
    expect(policy.subgraph).toBe('data');
    expect(policy.breakerState).toBe('closed');
  });
});
