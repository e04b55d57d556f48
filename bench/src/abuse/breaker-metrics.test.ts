import { describe, expect, it } from '@jest/globals';
import { summarizeReads } from './breaker-metrics.js';
import type { Sample } from './prometheus-text.js';

const breaker = (subgraph: string, value: number): Sample => ({
  name: 'gateway_subgraph_breaker_open',
  labels: { subgraph },
  value,
});
const counter = (name: string, labels: Record<string, string>, value: number): Sample => ({
  name,
  labels,
  value,
});

describe('summarizeReads', () => {
  it('counts each closed-to-open transition of every breaker and the most open at once', () => {
    const reads = [
      [breaker('data', 0), breaker('user', 0)],
      [breaker('data', 1), breaker('user', 0)],
      [breaker('data', 1), breaker('user', 1)],
      [breaker('data', 0), breaker('user', 1)],
      [breaker('data', 1), breaker('user', 0)],
    ];
    const metrics = summarizeReads(reads, 'http://gateway/metrics');
    expect(metrics.breakerOpens).toBe(3);
    expect(metrics.mostOpenAtOnce).toBe(2);
    expect(metrics.subgraphsWithOpenBreaker).toEqual(['data', 'user']);
  });

  it('counts a breaker already open at the first read, and a state gauge a gateway may add', () => {
    const reads = [
      [{ name: 'gateway_subgraph_breaker_state', labels: { subgraph: 'data' }, value: 2 }],
      [{ name: 'gateway_subgraph_breaker_state', labels: { subgraph: 'data' }, value: 0 }],
    ];
    expect(summarizeReads(reads, 'x').breakerOpens).toBe(1);
  });

  it('takes counters as differences between the first and the last read', () => {
    const first = [
      counter('gateway_rate_limit_fallback_total', { reason: 'timeout' }, 10),
      counter('gateway_subgraph_failures_total', { subgraph: 'data', reason: 'timeout' }, 4),
      counter('gateway_rate_limit_decisions_total', { tier: 'user', outcome: 'allowed' }, 100),
    ];
    const last = [
      counter('gateway_rate_limit_fallback_total', { reason: 'timeout' }, 51),
      counter('gateway_subgraph_failures_total', { subgraph: 'data', reason: 'timeout' }, 6),
      counter('gateway_subgraph_failures_total', { subgraph: 'user', reason: 'breaker_open' }, 9),
      counter('gateway_rate_limit_decisions_total', { tier: 'user', outcome: 'allowed' }, 100),
      counter('gateway_rate_limit_decisions_total', { tier: 'user', outcome: 'limited' }, 7),
    ];
    const metrics = summarizeReads([first, last], 'x');
    expect(metrics.rateLimitFallbacks).toBe(41);
    expect(metrics.subgraphFailures).toEqual({ breaker_open: 9, timeout: 2 });
    expect(metrics.rateLimitDecisions).toEqual({ 'user/limited': 7 });
    expect(metrics.breakerOpens).toBe(0);
  });

  it('says nothing was measured when no address answered', () => {
    expect(summarizeReads([], null)).toMatchObject({ source: null, breakerOpens: 0 });
  });
});
