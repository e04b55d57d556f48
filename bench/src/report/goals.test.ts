import { describe, expect, it } from '@jest/globals';
import type { CpuPerRequest } from '../cpu/per-request.js';
import type { ScaleId } from '../scales.js';
import type { TargetId } from '../target-ids.js';
import { judgeGoals } from './goals.js';
import type { GoalResult, RunResult } from './results.js';

function run(
  target: TargetId,
  {
    scale = 'seed',
    connections = 20,
    clean = 40,
    targetMs = 10,
    subgraphsMs = 10,
    totalMs = 50,
  }: {
    scale?: ScaleId;
    connections?: number;
    clean?: number;
    targetMs?: number;
    subgraphsMs?: number;
    totalMs?: number;
  } = {},
): RunResult {
  const cpu: CpuPerRequest = { processes: [], targetMs, subgraphsMs, totalMs };
  return {
    target,
    scale,
    connections,
    requestsPerSecond: clean,
    cleanAnswersPerSecond: clean,
    latencyP50Ms: 1,
    latencyP99Ms: 2,
    latencyAverageMs: 1,
    totalRequests: clean * 10,
    non2xx: 0,
    errorAnswers: 0,
    errors: 0,
    timeouts: 0,
    durationSeconds: 10,
    cpu,
    peakMemoryBytes: null,
    responseHeaders: {},
  };
}

function verdictOf(goals: GoalResult[], start: string): GoalResult['verdict'] {
  const goal = goals.find((candidate) => candidate.goal.startsWith(start));
  if (!goal) throw new Error(`no goal starting ${start}`);
  return goal.verdict;
}

/** Every target at every scale, each goal comfortably met. */
function passingRuns(): RunResult[] {
  return [
    ...(['seed', '10x', '100x'] as const).map((scale) => run('a', { scale, totalMs: 50 })),
    run('c', { clean: 35, targetMs: 12, subgraphsMs: 25 }),
    run('e', { clean: 38, targetMs: 11 }),
    run('b', { clean: 900 }),
    run('d', { clean: 2000 }),
    run('e+cache', { clean: 800 }),
  ];
}

describe('judgeGoals', () => {
  it('meets every goal when every figure is on the right side of its limit', () => {
    const goals = judgeGoals(passingRuns());
    expect(
      goals.map((goal) => [goal.goal, goal.verdict]).filter(([, verdict]) => verdict !== 'met'),
    ).toEqual([]);
    expect(goals).toHaveLength(13);
  });

  it('misses the CPU goal of the scale where the total goes over 60 ms, and the growth goal', () => {
    const runs = passingRuns().map((candidate) =>
      candidate.target === 'a' && candidate.scale === '100x'
        ? run('a', { scale: '100x', totalMs: 80 })
        : candidate,
    );
    const goals = judgeGoals(runs);
    expect(verdictOf(goals, 'total CPU per uncached dashboard (a) at seed')).toBe('met');
    expect(verdictOf(goals, 'total CPU per uncached dashboard (a) at 100x <= 60')).toBe('missed');
    // 80 / 50 = 1.6x the seed's.
    expect(verdictOf(goals, 'total CPU per uncached dashboard (a) at 100x <= 1.5x')).toBe('missed');
  });

  it("judges the gateway's own CPU and the subgraphs' behind it against stock Apollo", () => {
    const runs = passingRuns().map((candidate) =>
      candidate.target === 'a' && candidate.scale === 'seed'
        ? run('a', { targetMs: 13, subgraphsMs: 13 })
        : candidate,
    );
    const goals = judgeGoals(runs);
    expect(verdictOf(goals, "gateway's own CPU per request (a) <= (c)")).toBe('missed');
    expect(verdictOf(goals, "gateway's own CPU per request (a) <= (e)")).toBe('missed');
    // 13 > 0.5 x 25.
    expect(verdictOf(goals, 'subgraph CPU per request behind (a)')).toBe('missed');
  });

  it('judges throughput at 20 connections, not at 1', () => {
    const runs = [
      ...passingRuns().filter(
        (candidate) => candidate.target !== 'a' || candidate.scale !== 'seed',
      ),
      run('a', { clean: 20 }),
      run('a', { connections: 1, clean: 500 }),
    ];
    const goals = judgeGoals(runs);
    expect(verdictOf(goals, '(a) >= 30 clean dashboards/s')).toBe('missed');
    expect(verdictOf(goals, '(a) clean answers/s >= 1.0x (c)')).toBe('missed');
    expect(verdictOf(goals, '(a) clean answers/s >= (e)')).toBe('missed');
  });

  it('judges no CPU goal from a run whose answers were mostly errors (they cost less than dashboards)', () => {
    const failing = { ...run('a', { totalMs: 20 }), errorAnswers: 100 };
    const runs = [
      ...passingRuns().filter(
        (candidate) => candidate.target !== 'a' || candidate.scale !== 'seed',
      ),
      failing,
    ];
    const goals = judgeGoals(runs);
    expect(verdictOf(goals, 'total CPU per uncached dashboard (a) at seed')).toBe('not measured');
    expect(verdictOf(goals, "gateway's own CPU per request (a) <= (c)")).toBe('not measured');
  });

  it('says "not measured", never met, for a goal whose runs are missing', () => {
    const goals = judgeGoals(passingRuns().filter((candidate) => candidate.target !== 'e+cache'));
    const goal = goals.find((candidate) =>
      candidate.goal.startsWith('(b) clean answers/s >= (e+cache)'),
    );
    expect(goal).toMatchObject({
      verdict: 'not measured',
      measured: expect.stringContaining('(e+cache)'),
    });
  });

  it('states what was measured with the ratio it judged', () => {
    const goals = judgeGoals(passingRuns());
    expect(
      goals.find((goal) => goal.goal.startsWith('(b) clean answers/s >= 0.3x (d)'))?.measured,
    ).toBe('(b) 900.0 clean/s, (d) 2000.0 clean/s: 0.45x');
  });
});
