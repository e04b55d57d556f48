import { describe, expect, it } from '@jest/globals';
import { metricsCatalog } from './metrics-catalog.js';

describe('the metrics catalog (docs/metrics.md)', () => {
  const catalog = metricsCatalog();

  it('reads each documented metric with its type, labels and processes', () => {
    expect(catalog.find((metric) => metric.name === 'events_consumer_lag_messages')).toEqual({
      name: 'events_consumer_lag_messages',
      type: 'gauge',
      labels: ['group', 'topic', 'partition'],
      processes: ['gateway', 'analytics', 'notification'],
    });
    expect(
      catalog.find((metric) => metric.name === 'process_cpu_seconds_total')?.processes,
    ).toEqual(['gateway', 'user', 'data', 'analytics', 'notification']);
  });

  it('documents each metric once, named by the naming scheme', () => {
    const names = catalog.map((metric) => metric.name);
    expect(new Set(names).size).toBe(names.length);
    for (const metric of catalog) {
      expect(metric.name).toMatch(
        /^(gateway|events|user|data|analytics|notification|process|nodejs)_/,
      );
      if (metric.type === 'counter') expect(metric.name).toMatch(/_total$/);
      if (metric.type === 'histogram') expect(metric.name).toMatch(/_seconds$|_bytes$/);
    }
  });
});
