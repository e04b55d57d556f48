import { describe, expect, it } from '@jest/globals';
import { declaredMetrics, parsePrometheusText, sumOf } from './prometheus-text.js';

const TEXT = `# HELP gateway_subgraph_breaker_open 1 while open
# TYPE gateway_subgraph_breaker_open gauge
gateway_subgraph_breaker_open{subgraph="data"} 1
gateway_subgraph_breaker_open{subgraph="user"} 0
gateway_rate_limit_fallback_total{reason="timeout"} 41
gateway_rate_limit_fallback_total{reason="error"} 2
process_start_time_seconds 1.7e9
odd_label{path="a \\"quoted\\" b"} 3
not a sample line
`;

describe('parsePrometheusText', () => {
  it('reads names, labels and values and skips comments and other lines', () => {
    const samples = parsePrometheusText(TEXT);
    expect(samples).toContainEqual({
      name: 'gateway_subgraph_breaker_open',
      labels: { subgraph: 'data' },
      value: 1,
    });
    expect(samples).toContainEqual({
      name: 'process_start_time_seconds',
      labels: {},
      value: 1.7e9,
    });
    expect(samples).toContainEqual({
      name: 'odd_label',
      labels: { path: 'a "quoted" b' },
      value: 3,
    });
    expect(samples).toHaveLength(6);
  });

  it('sums the series of a name whose labels match', () => {
    const samples = parsePrometheusText(TEXT);
    expect(sumOf(samples, 'gateway_rate_limit_fallback_total')).toBe(43);
    expect(sumOf(samples, 'gateway_rate_limit_fallback_total', { reason: 'timeout' })).toBe(41);
    expect(sumOf(samples, 'missing_total')).toBe(0);
  });
});

describe('declared metrics', () => {
  it('reads every TYPE line, also of a metric with no samples yet', () => {
    const declared = declaredMetrics(
      '# HELP a_total A\n# TYPE a_total counter\n# HELP b_seconds B\n# TYPE b_seconds histogram\nb_seconds_count 1\n',
    );
    expect([...declared]).toEqual([
      ['a_total', 'counter'],
      ['b_seconds', 'histogram'],
    ]);
  });
});
