import type { AttackId } from './attack-ids.js';
import type { AttackVerdict, PhaseResult, Verdict } from './results.js';

/** Issue 12's target: normal traffic's p99 during an attack at most this many times the baseline's. */
export const MAX_P99_RATIO = 2;

const ratio = (during: number, baseline: number): number | null =>
  baseline > 0 ? Math.round((during / baseline) * 100) / 100 : null;

function all(verdicts: Array<Verdict | null>): Verdict {
  const judged = verdicts.filter((verdict): verdict is Verdict => verdict !== null);
  if (judged.includes('missed')) return 'missed';
  return judged.includes('not measured') ? 'not measured' : 'met';
}

/**
 * Each attack against the quiet baseline: the normal traffic's p99 (dashboards and `me`, each at
 * most 2x), its errors (none), the breakers (none opened) and, for an attack that checks
 * correctness, whether the wanted behaviour was seen.
 */
export function judgeAttacks(baseline: PhaseResult, attacks: PhaseResult[]): AttackVerdict[] {
  return attacks.map((phase) => {
    const dashboardsP99Ratio = ratio(
      phase.normal.dashboards.p99Ms,
      baseline.normal.dashboards.p99Ms,
    );
    const meP99Ratio = ratio(phase.normal.me.p99Ms, baseline.normal.me.p99Ms);
    const latency: Verdict =
      dashboardsP99Ratio === null || meP99Ratio === null
        ? 'not measured'
        : dashboardsP99Ratio <= MAX_P99_RATIO && meP99Ratio <= MAX_P99_RATIO
          ? 'met'
          : 'missed';
    const normalErrors = phase.normal.dashboards.failed + phase.normal.me.failed;
    const errors: Verdict = normalErrors === 0 ? 'met' : 'missed';
    const { metrics } = phase;
    const breakers: Verdict =
      metrics.source === null
        ? 'not measured'
        : metrics.breakerOpens === 0 && metrics.mostOpenAtOnce === 0
          ? 'met'
          : 'missed';
    const wanted = phase.attacker?.correctness;
    const correctness: Verdict | null = wanted ? (wanted.met ? 'met' : 'missed') : null;
    return {
      attack: phase.phase as AttackId,
      dashboardsP99Ratio,
      meP99Ratio,
      latency,
      normalErrors,
      errors,
      breakerOpens: metrics.breakerOpens,
      breakers,
      correctness,
      verdict: phase.failure ? 'not measured' : all([latency, errors, breakers, correctness]),
    };
  });
}
