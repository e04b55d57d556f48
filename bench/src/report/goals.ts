import type { ScaleId } from '../scales.js';
import type { TargetId } from '../target-ids.js';
import type { GoalResult, RunResult } from './results.js';

/**
 * Issue 11's acceptance list, judged from the runs. Throughput is clean answers per second, so a
 * target cannot win by answering errors fast (a gateway whose subgraph breaker is open answers at
 * once, with errors). Every goal is judged at 20 connections and the seed scale unless it names a
 * scale; a goal whose runs are missing is "not measured", never met.
 */
export const JUDGED_CONNECTIONS = 20;

/** At most 60 ms of CPU, every process together, per uncached dashboard. */
const TOTAL_CPU_LIMIT_MS = 60;

interface Where {
  target: TargetId;
  scale?: ScaleId;
}

/**
 * CPU per request says what a dashboard costs only when the requests were dashboards: a run with
 * more answers with errors than this (subgraph timeouts) has no CPU figure for the goals.
 */
export const MAX_ERROR_SHARE_FOR_CPU = 0.05;

/** The figure a goal reads from a run; undefined when the run has none. */
type Pick = (run: RunResult) => number | undefined;

/** Whether a run's CPU figures stand for dashboards (few enough answers with errors). */
export const mostlyClean = (run: RunResult) =>
  run.totalRequests > 0 && run.errorAnswers / run.totalRequests <= MAX_ERROR_SHARE_FOR_CPU;

const clean: Pick = (run) => run.cleanAnswersPerSecond;
const totalCpu: Pick = (run) => (mostlyClean(run) ? run.cpu?.totalMs : undefined);
const gatewayCpu: Pick = (run) => (mostlyClean(run) ? run.cpu?.targetMs : undefined);
const subgraphCpu: Pick = (run) => (mostlyClean(run) ? run.cpu?.subgraphsMs : undefined);

const label = ({ target, scale = 'seed' }: Where) =>
  scale === 'seed' ? `(${target})` : `(${target}) at ${scale}`;

const format = (value: number, unit: string) =>
  `${value.toFixed(value < 10 ? 2 : 1)}${unit === '/s' ? ' clean/s' : ` ${unit}`}`;

export function judgeGoals(runs: RunResult[]): GoalResult[] {
  const figure = ({ target, scale = 'seed' }: Where, pick: Pick) => {
    const run = runs.find(
      (candidate) =>
        candidate.target === target &&
        candidate.scale === scale &&
        candidate.connections === JUDGED_CONNECTIONS,
    );
    return run && pick(run);
  };

  const notMeasured = (goal: string, missing: Where[]): GoalResult => ({
    goal,
    measured: `no run of ${missing.map(label).join(', ')} at ${JUDGED_CONNECTIONS} connections with requests completed (for CPU: at most ${MAX_ERROR_SHARE_FOR_CPU * 100}% of them answers with errors)`,
    verdict: 'not measured',
  });

  /** One figure of one run against a fixed limit. */
  const absolute = (
    goal: string,
    where: Where,
    pick: Pick,
    unit: string,
    test: (value: number) => boolean,
  ): GoalResult => {
    const value = figure(where, pick);
    if (value === undefined) return notMeasured(goal, [where]);
    return { goal, measured: format(value, unit), verdict: test(value) ? 'met' : 'missed' };
  };

  /** The same figure of two runs: numerator over denominator against `limit`. */
  const ratio = (
    goal: string,
    numerator: Where,
    denominator: Where,
    pick: Pick,
    unit: string,
    test: (ratio: number) => boolean,
  ): GoalResult => {
    const above = figure(numerator, pick);
    const below = figure(denominator, pick);
    if (above === undefined || below === undefined) {
      return notMeasured(goal, [
        ...(above === undefined ? [numerator] : []),
        ...(below === undefined ? [denominator] : []),
      ]);
    }
    const value = below > 0 ? above / below : Number.POSITIVE_INFINITY;
    return {
      goal,
      measured: `${label(numerator)} ${format(above, unit)}, ${label(denominator)} ${format(below, unit)}: ${Number.isFinite(value) ? value.toFixed(2) : '∞'}x`,
      verdict: test(value) ? 'met' : 'missed',
    };
  };

  const atMost = (limit: number) => (value: number) => value <= limit;
  const atLeast = (limit: number) => (value: number) => value >= limit;

  return [
    ...(['seed', '10x', '100x'] as const).map((scale) =>
      absolute(
        `total CPU per uncached dashboard (a) at ${scale} <= ${TOTAL_CPU_LIMIT_MS} ms`,
        { target: 'a', scale },
        totalCpu,
        'ms',
        atMost(TOTAL_CPU_LIMIT_MS),
      ),
    ),
    ratio(
      'total CPU per uncached dashboard (a) at 100x <= 1.5x at seed',
      { target: 'a', scale: '100x' },
      { target: 'a' },
      totalCpu,
      'ms',
      atMost(1.5),
    ),
    ratio(
      '(a) clean answers/s >= 1.0x (c)',
      { target: 'a' },
      { target: 'c' },
      clean,
      '/s',
      atLeast(1),
    ),
    ratio(
      "gateway's own CPU per request (a) <= (c)",
      { target: 'a' },
      { target: 'c' },
      gatewayCpu,
      'ms',
      atMost(1),
    ),
    ratio(
      "gateway's own CPU per request (a) <= (e), deduplication off on both",
      { target: 'a' },
      { target: 'e' },
      gatewayCpu,
      'ms',
      atMost(1),
    ),
    ratio(
      'subgraph CPU per request behind (a) <= 0.5x behind (c)',
      { target: 'a' },
      { target: 'c' },
      subgraphCpu,
      'ms',
      atMost(0.5),
    ),
    absolute(
      `(a) >= 30 clean dashboards/s at ${JUDGED_CONNECTIONS} connections`,
      { target: 'a' },
      clean,
      '/s',
      atLeast(30),
    ),
    absolute(
      `(c) >= 30 clean dashboards/s at ${JUDGED_CONNECTIONS} connections`,
      { target: 'c' },
      clean,
      '/s',
      atLeast(30),
    ),
    ratio(
      '(b) clean answers/s >= 0.3x (d)',
      { target: 'b' },
      { target: 'd' },
      clean,
      '/s',
      atLeast(0.3),
    ),
    ratio('(a) clean answers/s >= (e)', { target: 'a' }, { target: 'e' }, clean, '/s', atLeast(1)),
    ratio(
      '(b) clean answers/s >= (e+cache)',
      { target: 'b' },
      { target: 'e+cache' },
      clean,
      '/s',
      atLeast(1),
    ),
  ];
}
