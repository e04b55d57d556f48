import { describe, expect, it } from '@jest/globals';
import type { LiveCell } from './results.js';
import { judgeLive } from './verdicts.js';

function cell(overrides: Partial<LiveCell> & Pick<LiveCell, 'sockets' | 'rate' | 'selection'>) {
  const base: LiveCell = {
    ...overrides,
    seconds: 20,
    opened: overrides.sockets,
    openFailures: [],
    expected: overrides.rate * 20,
    received: overrides.rate * 20,
    duplicates: 0,
    errorFrames: 0,
    errorSamples: [],
    closes: {},
    latencyMs: { p50: 20, p99: 100, max: 150 },
    storedToReceivedMs: { p50: 5, p99: 40 },
    deliveredPerSecond: overrides.rate,
    cpu: { processes: [], targetMs: 0.2, subgraphsMs: 0.1, totalMs: 0.5 },
    clientCpuMsPerDelivery: 0.1,
    gatewayRss: {
      beforeBytes: 200 * 2 ** 20,
      idleBytes: 0,
      idleBytesPerSocket: 40 * 1024,
      loadBytes: 0,
      peakBytes: 0,
      loadBytesPerSocket: 60 * 1024,
    },
    producer: { achievedRate: overrides.rate, maxLagMs: 5 },
    clientEventLoopDelay: { p99Ms: 10, maxMs: 20 },
    clientWorkers: 1,
    clientSaturation: null,
    loadAverage: 1,
  };
  return { ...base, ...overrides };
}

const verdictOf = (cells: LiveCell[], goal: RegExp) =>
  judgeLive(cells).find((verdict) => goal.test(verdict.goal));

describe('judgeLive', () => {
  it('says "not measured" for the targets whose cell did not run', () => {
    const verdicts = judgeLive([cell({ sockets: 1000, rate: 100, selection: 'minimal' })]);
    expect(verdicts.map((verdict) => verdict.verdict)).toEqual([
      'not measured',
      'not measured',
      'met',
      'met',
    ]);
  });

  it('misses the acceptance cell on one lost notification, one error frame or a slow p99', () => {
    const at = { sockets: 10_000, rate: 2_000, selection: 'minimal' } as const;
    const goal = /10,000 x 2,000\/s minimal/;
    expect(verdictOf([cell(at)], goal)?.verdict).toBe('met');
    expect(verdictOf([cell({ ...at, received: 39_999 })], goal)?.verdict).toBe('missed');
    expect(verdictOf([cell({ ...at, errorFrames: 1 })], goal)?.verdict).toBe('missed');
    expect(
      verdictOf([cell({ ...at, latencyMs: { p50: 20, p99: 250, max: 300 } })], goal)?.verdict,
    ).toBe('missed');
  });

  it('judges gateway CPU on the acceptance cell and memory on the cell with the most sockets', () => {
    const cells = [
      cell({ sockets: 1000, rate: 5000, selection: 'minimal' }),
      cell({
        sockets: 10_000,
        rate: 2_000,
        selection: 'minimal',
        cpu: { processes: [], targetMs: 0.3, subgraphsMs: 0, totalMs: 0.3 },
        gatewayRss: {
          ...cell({ sockets: 1, rate: 1, selection: 'minimal' }).gatewayRss,
          idleBytesPerSocket: 51 * 1024,
        },
      }),
    ];
    expect(verdictOf(cells, /gateway CPU/)).toMatchObject({
      cell: '10,000 x 2,000/s minimal',
      verdict: 'missed',
    });
    expect(verdictOf(cells, /idle socket/)).toMatchObject({
      cell: '10,000 x 2,000/s minimal',
      measured: '51.0 KB',
      verdict: 'missed',
    });
  });

  it('holds the cross-subgraph selection to zero loss at 1,000 x 500/s', () => {
    const at = { sockets: 1000, rate: 500, selection: 'cross-subgraph' } as const;
    expect(verdictOf([cell({ ...at, received: 9_000 })], /cross-subgraph/)).toMatchObject({
      measured: '9,000 of 10,000 received, 0 error frames, p99 100 ms',
      verdict: 'missed',
    });
  });
});
