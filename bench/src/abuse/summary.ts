import type { AbuseResults } from './results.js';

/** The soak's outcome on stdout: one line per phase, then the verdicts. */
export function abuseSummaryText(results: AbuseResults): string {
  const lines = [
    '',
    'phase                       dashboards p99   me p99   normal errors   breaker opens   verdict',
  ];
  for (const phase of results.phases) {
    const verdict = results.verdicts.find((one) => one.attack === phase.phase);
    const { dashboards, me } = phase.normal;
    lines.push(
      [
        phase.phase.padEnd(27),
        `${dashboards.p99Ms} ms`.padStart(14),
        `${me.p99Ms} ms`.padStart(8),
        String(dashboards.failed + me.failed).padStart(15),
        (phase.metrics.source === null ? 'n/a' : String(phase.metrics.breakerOpens)).padStart(15),
        `   ${verdict?.verdict ?? '(baseline)'}`,
      ].join(' '),
    );
  }
  return `${lines.join('\n')}\n`;
}
