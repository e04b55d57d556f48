import { describe, expect, it } from '@jest/globals';
import { loadBenchSettings } from './settings.js';

describe('loadBenchSettings', () => {
  it('measures every target at 1 and 20 connections at all three scales by default', () => {
    expect(loadBenchSettings({})).toEqual({
      durationSeconds: 10,
      connections: [1, 20],
      warmupSeconds: 5,
      scales: ['seed', '10x', '100x'],
      targets: ['a', 'a2', 'a+dedup', 'b', 'c', 'd', 'e', 'e+dedup', 'e+cache'],
      growVia: 'api',
      growConcurrency: 16,
      seedTimeoutMs: 180_000,
    });
  });

  it('takes lists in the order given', () => {
    const settings = loadBenchSettings({
      BENCH_CONNECTIONS: '20, 1',
      BENCH_SCALES: 'seed,100x',
      BENCH_TARGETS: 'a,e,c',
    });
    expect(settings).toMatchObject({
      connections: [20, 1],
      scales: ['seed', '100x'],
      targets: ['a', 'e', 'c'],
    });
  });

  it('refuses scales out of growing order: the database only grows', () => {
    expect(() => loadBenchSettings({ BENCH_SCALES: '100x,seed' })).toThrow(/BENCH_SCALES/);
  });

  it('refuses targets that do not start with (a), whose answer is the reference', () => {
    expect(() => loadBenchSettings({ BENCH_TARGETS: 'c,a' })).toThrow(/BENCH_TARGETS/);
  });

  it('names the variable of an unknown target or a bad connection count', () => {
    expect(() => loadBenchSettings({ BENCH_TARGETS: 'a,f' })).toThrow(/BENCH_TARGETS/);
    expect(() => loadBenchSettings({ BENCH_CONNECTIONS: '1,zero' })).toThrow(/BENCH_CONNECTIONS/);
    expect(() => loadBenchSettings({ BENCH_CONNECTIONS: '20,20' })).toThrow(/BENCH_CONNECTIONS/);
  });
});
