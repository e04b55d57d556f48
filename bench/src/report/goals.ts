import type { TargetId } from '../targets.js';
import type { GoalResult, TargetResult } from './results.js';

/**
 * The targets: throughput of one target over another's, at least this much. Throughput
 * here is clean answers per second, so a target cannot win by answering errors fast (a gateway
 * whose subgraph breaker is open answers at once, with errors).
 */
const GOALS: Array<{ numerator: TargetId; denominator: TargetId; atLeast: number }> = [
  { numerator: 'a', denominator: 'c', atLeast: 0.9 },
  { numerator: 'b', denominator: 'c', atLeast: 5 },
  { numerator: 'b', denominator: 'd', atLeast: 0.5 },
];

function throughput(targets: TargetResult[], id: TargetId): number {
  const target = targets.find((candidate) => candidate.id === id);
  if (!target) throw new Error(`no result for target (${id})`);
  return target.cleanAnswersPerSecond;
}

export function ratioOf(targets: TargetResult[], numerator: TargetId, denominator: TargetId) {
  const below = throughput(targets, denominator);
  return below > 0 ? throughput(targets, numerator) / below : 0;
}

export function judgeGoals(targets: TargetResult[]): {
  ratios: Record<string, number>;
  goals: GoalResult[];
} {
  const goals = GOALS.map(({ numerator, denominator, atLeast }) => {
    const ratio = ratioOf(targets, numerator, denominator);
    return {
      name: `(${numerator}) >= ${atLeast}x (${denominator})`,
      numerator,
      denominator,
      ratio,
      atLeast,
      met: ratio >= atLeast,
    };
  });
  const ratios = Object.fromEntries(
    goals.map(({ numerator, denominator, ratio }) => [`${numerator}/${denominator}`, ratio]),
  );
  return { ratios, goals };
}
