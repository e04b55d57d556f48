import { describe, expect, it } from '@jest/globals';
import {
  cpuMsPerRequest,
  parseProcStat,
  processTree,
  ticksByGroup,
  type ProcStat,
} from './proc-stat.js';

/** A /proc/<pid>/stat line as Linux writes it (fields 1-20 of proc(5), the rest cut). */
function statLine(
  pid: number,
  comm: string,
  ppid: number,
  [utime, stime, cutime, cstime]: number[],
) {
  return `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 1234 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 11 0`;
}

function stats(...lines: string[]): Map<number, ProcStat> {
  return new Map(lines.map((line) => parseProcStat(line)).map((stat) => [stat.pid, stat]));
}

describe('parseProcStat', () => {
  it('adds user, system and waited-for children time, in ticks', () => {
    expect(parseProcStat(statLine(42, 'node', 1, [300, 50, 7, 3]))).toEqual({
      pid: 42,
      ppid: 1,
      ticks: 360,
    });
  });

  it('counts fields from the last parenthesis, so a name with spaces and parentheses parses', () => {
    expect(parseProcStat(statLine(7, 'postgres: (autovacuum) launcher', 5, [1, 2, 0, 0]))).toEqual({
      pid: 7,
      ppid: 5,
      ticks: 3,
    });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStat('no such thing')).toThrow(/not a \/proc\/<pid>\/stat line/);
    expect(() => parseProcStat('12 (x) S 1 2')).toThrow(/not a \/proc\/<pid>\/stat line/);
  });
});

describe('processTree', () => {
  const all = stats(
    statLine(1, 'init', 0, [0, 0, 0, 0]),
    statLine(10, 'postgres', 1, [0, 0, 0, 0]),
    statLine(11, 'postgres: backend', 10, [0, 0, 0, 0]),
    statLine(12, 'postgres: walwriter', 10, [0, 0, 0, 0]),
    statLine(13, 'deeper', 11, [0, 0, 0, 0]),
    statLine(20, 'node', 1, [0, 0, 0, 0]),
  );

  it('holds the roots and every descendant, however deep, and nothing else', () => {
    expect([...processTree([10], all)].sort()).toEqual([10, 11, 12, 13]);
  });

  it('leaves out roots that no longer exist', () => {
    expect([...processTree([99, 20], all)]).toEqual([20]);
  });
});

describe('CPU per request', () => {
  const groups = { gateway: [20], postgres: [10] };

  it('sums each tree and divides what it spent in the window by the requests', () => {
    const before = ticksByGroup(
      groups,
      stats(
        statLine(20, 'node', 1, [100, 20, 0, 0]),
        statLine(21, 'node worker', 20, [50, 10, 0, 0]),
        statLine(10, 'postgres', 1, [5, 5, 0, 0]),
        statLine(11, 'backend', 10, [40, 0, 0, 0]),
      ),
    );
    const after = ticksByGroup(
      groups,
      stats(
        statLine(20, 'node', 1, [150, 30, 0, 0]),
        statLine(21, 'node worker', 20, [90, 10, 0, 0]),
        statLine(10, 'postgres', 1, [5, 5, 0, 0]),
        statLine(11, 'backend', 10, [60, 0, 0, 0]),
      ),
    );
    expect(before).toEqual({ gateway: 180, postgres: 50 });
    // gateway: 100 ticks = 1,000 ms over 50 requests; postgres: 20 ticks = 200 ms.
    expect(cpuMsPerRequest(before, after, { requests: 50, ticksPerSecond: 100 })).toEqual({
      gateway: 20,
      postgres: 4,
    });
  });

  it("counts a child that exited in the window once, through its parent's children time", () => {
    const before = ticksByGroup(
      { postgres: [10] },
      stats(
        statLine(10, 'postgres', 1, [5, 5, 100, 0]),
        statLine(11, 'backend', 10, [30, 10, 0, 0]),
      ),
    );
    // The backend spent 10 more ticks, exited and was waited for: its 50 moved into cutime/cstime.
    const after = ticksByGroup(
      { postgres: [10] },
      stats(statLine(10, 'postgres', 1, [5, 5, 140, 10])),
    );
    expect(cpuMsPerRequest(before, after, { requests: 10, ticksPerSecond: 100 })).toEqual({
      postgres: 10,
    });
  });

  it('reports nothing for a window without requests rather than dividing by zero', () => {
    expect(
      cpuMsPerRequest({ gateway: 1 }, { gateway: 5 }, { requests: 0, ticksPerSecond: 100 }),
    ).toEqual({});
  });
});
