import { describe, expect, it } from '@jest/globals';
import { clientWorkersFor, loadLiveSettings } from './settings.js';

describe('loadLiveSettings', () => {
  it('runs the whole grid by default', () => {
    expect(loadLiveSettings([], {})).toEqual({
      sockets: [1000, 10000],
      rates: [100, 500, 1000, 2000, 5000],
      selections: ['minimal', 'cross-subgraph'],
      seconds: 20,
      drainSeconds: 15,
      clientWorkers: 0,
    });
  });

  it('narrows the grid to one cell from the command line', () => {
    const settings = loadLiveSettings(
      ['--sockets', '1000', '--rate', '100', '--selection', 'cross-subgraph', '--seconds', '5'],
      { BENCH_LIVE_RATES: '10,20' },
    );
    expect(settings).toMatchObject({
      sockets: [1000],
      rates: [100],
      selections: ['cross-subgraph'],
      seconds: 5,
    });
  });

  it('refuses an unknown selection, a count that is not a number and an unknown option', () => {
    expect(() => loadLiveSettings(['--selection', 'everything'], {})).toThrow(/selection/);
    expect(() => loadLiveSettings(['--sockets', 'many'], {})).toThrow(/sockets/);
    expect(() => loadLiveSettings(['--socket', '10'], {})).toThrow(/socket/);
    expect(() => loadLiveSettings([], { BENCH_LIVE_SOCKETS: '100,100' })).toThrow(
      /BENCH_LIVE_SOCKETS/,
    );
  });
});

describe('clientWorkersFor', () => {
  it('spreads sockets over one thread per 2,500 unless told how many', () => {
    expect(clientWorkersFor(1000, 0)).toBe(1);
    expect(clientWorkersFor(10_000, 0)).toBe(4);
    expect(clientWorkersFor(10_000, 2)).toBe(2);
  });
});
