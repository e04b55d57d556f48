import type { AttackReport } from '../abuse/attack.js';
import type { PhaseMetrics } from '../abuse/breaker-metrics.js';
import type { StreamResult } from '../abuse/normal-traffic.js';
import type { AbuseResults, AttackVerdict, PhaseResult, Verdict } from '../abuse/results.js';
import type { Tally } from '../abuse/tally.js';
import { MAX_P99_RATIO } from '../abuse/verdicts.js';

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const ms = (value: number) => `${number(value, value < 10 ? 1 : 0)} ms`;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const VERDICT: Record<Verdict, string> = {
  met: 'met',
  missed: '**missed**',
  'not measured': 'not measured',
};

/** `a 3, b 1` for a tally, biggest first; `none` when empty. */
export function tallyText(tally: Tally): string {
  const entries = Object.entries(tally).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return entries.length === 0
    ? 'none'
    : entries.map(([name, value]) => `${name} ${number(value)}`).join(', ');
}

function errorsText(stream: StreamResult): string {
  if (stream.failed === 0) return '0';
  const causes: Tally = { ...stream.errorCodes };
  for (const [status, value] of Object.entries(stream.statuses)) causes[`HTTP ${status}`] = value;
  if (stream.noAnswer > 0) causes['no answer'] = stream.noAnswer;
  return `${number(stream.failed)} (${tallyText(causes)})`;
}

const ratioText = (value: number | null) => (value === null ? '–' : `${number(value, 2)}x`);

function breakersText(metrics: PhaseMetrics): string {
  if (metrics.source === null) return 'not measured';
  if (metrics.breakerOpens === 0 && metrics.mostOpenAtOnce === 0) return '0';
  return `${metrics.breakerOpens} (${metrics.subgraphsWithOpenBreaker.join(', ')}; at most ${metrics.mostOpenAtOnce} at once)`;
}

/** `; machine load average 3.4` when the phase recorded it. */
const loadText = (phase: PhaseResult) =>
  phase.loadAverage === undefined
    ? ''
    : `; the machine's load average ${number(phase.loadAverage, 1)}`;

const measuredOr = (metrics: PhaseMetrics, text: string) =>
  metrics.source === null ? 'not measured' : text;

function attackTable(baseline: PhaseResult, phase: PhaseResult, verdict: AttackVerdict): string[] {
  const { dashboards, me } = phase.normal;
  const base = baseline.normal;
  return [
    '| normal traffic | baseline | during the attack | target | verdict |',
    '| --- | ---: | ---: | --- | --- |',
    row([
      'dashboards p99 (p50)',
      `${ms(base.dashboards.p99Ms)} (${ms(base.dashboards.p50Ms)})`,
      `${ms(dashboards.p99Ms)} (${ms(dashboards.p50Ms)}), ${ratioText(verdict.dashboardsP99Ratio)}`,
      `<= ${MAX_P99_RATIO}x`,
      VERDICT[verdict.latency],
    ]),
    row([
      '`{ me { id } }` p99 (p50)',
      `${ms(base.me.p99Ms)} (${ms(base.me.p50Ms)})`,
      `${ms(me.p99Ms)} (${ms(me.p50Ms)}), ${ratioText(verdict.meP99Ratio)}`,
      `<= ${MAX_P99_RATIO}x`,
      VERDICT[verdict.latency],
    ]),
    row([
      'requests (dashboards / me)',
      `${number(base.dashboards.requests)} / ${number(base.me.requests)}`,
      `${number(dashboards.requests)} / ${number(me.requests)}`,
      '',
      '',
    ]),
    row([
      'errors: dashboards',
      errorsText(base.dashboards),
      errorsText(dashboards),
      '0',
      VERDICT[verdict.errors],
    ]),
    row(['errors: `me`', errorsText(base.me), errorsText(me), '0', VERDICT[verdict.errors]]),
    row([
      'breaker opens',
      breakersText(baseline.metrics),
      breakersText(phase.metrics),
      '0',
      VERDICT[verdict.breakers],
    ]),
    row([
      'rate-limit fallback decisions',
      measuredOr(baseline.metrics, number(baseline.metrics.rateLimitFallbacks)),
      measuredOr(phase.metrics, number(phase.metrics.rateLimitFallbacks)),
      '',
      '',
    ]),
  ];
}

function attackerLines(report: AttackReport | null, metrics: PhaseMetrics): string[] {
  if (!report) return [];
  const lines = [
    `- Attacker sent: ${tallyText(report.sent)}.`,
    `- Attacker got: ${tallyText(report.got)}.`,
  ];
  if (metrics.source !== null) {
    lines.push(
      `- Gateway: subgraph fetch failures ${tallyText(metrics.subgraphFailures)}; rate-limit decisions ${tallyText(metrics.rateLimitDecisions)}.`,
    );
  }
  for (const note of report.notes) lines.push(`- ${note}.`);
  if (report.correctness) {
    lines.push(
      `- Wanted: ${report.correctness.wanted}. Measured: ${report.correctness.measured}: ${report.correctness.met ? 'met' : '**missed**'}.`,
    );
  }
  return lines;
}

function quietAgainLine(phase: PhaseResult): string[] {
  if (phase.quietAgainSeconds === undefined) return [];
  return phase.quietAgainSeconds === null
    ? ['- After the attack stopped, the gateway was not quiet again within 30 s.']
    : [
        `- Quiet again ${number(phase.quietAgainSeconds, 1)} s after the attack stopped (no breaker open, \`me\` back near its baseline p50).`,
      ];
}

function summaryTable(results: AbuseResults): string[] {
  const titleOf = (id: string) => results.phases.find((phase) => phase.phase === id)?.title ?? id;
  return [
    '| attack | dashboards p99 vs baseline | `me` p99 vs baseline | normal errors | breaker opens | correctness | verdict |',
    '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    ...results.verdicts.map((verdict) =>
      row([
        titleOf(verdict.attack),
        ratioText(verdict.dashboardsP99Ratio),
        ratioText(verdict.meP99Ratio),
        number(verdict.normalErrors),
        verdict.breakers === 'not measured' ? 'not measured' : number(verdict.breakerOpens),
        verdict.correctness ? VERDICT[verdict.correctness] : '–',
        VERDICT[verdict.verdict],
      ]),
    ),
  ];
}

function victimSentence(results: AbuseResults): string {
  return results.settings.victimRole === 'ADMIN'
    ? "The victim (the seeded user, who shares nothing with any attacker) calls with an access token of role ADMIN, whose tier the soak sets never to refuse (`RATE_LIMIT_ADMIN_CAPACITY` and `_REFILL_PER_SECOND` 1e9); it returns the same dashboard as the user's own token. Every attacker keeps the gateway's default limits: each attack has a signed-up user of its own (user tier), the revoked key is an API key (API-key tier), and anonymous attacks come from a loopback address of the run's own (anonymous tier)."
    : 'The victim calls with its own user token (BENCH_ABUSE_VICTIM_ROLE=USER): victim and attackers are users on the same default limits, so the normal traffic may be rate limited too.';
}

/** The abuse soak's section of BENCHMARKS.md, from the newest abuse results file. */
export function renderAbuseSection(results: AbuseResults, resultsFile: string): string[] {
  const [baseline, ...attacks] = results.phases;
  if (!baseline) return [];
  const { settings } = results;
  const lines = [
    `## Abuse soak (issue 12), ${results.date}`,
    '',
    `From ${resultsFile} (\`npm run bench -- abuse\`, on its own: the sections above come from the newest full run). Command: \`${results.command}\`.`,
    '',
    `A quiet baseline, then each of issue 12's attacks, one after another, ${settings.phaseSeconds} s each (longer where an attack says so), against one platform gateway (response cache off, so every normal request reaches the subgraphs) in front of the benchmark's subgraphs and seed. Throughout, the normal traffic is measured: the dashboard above on ${settings.dashboardConnections} closed-loop connections and \`{ me { id } }\` one at a time, each timed to the last byte. An error is any answer but a 200 with data and no errors. Breakers are read from the gateway's metrics every 500 ms (${settings.metricsSource ?? 'no metrics address answered'}).`,
    '',
    victimSentence(results),
    '',
    `Machine: ${results.machine.cpus} CPUs, Node ${results.machine.node}; the load, the attacks, the gateway, the subgraphs and the stores share it (and whatever else runs there), so an attack that costs CPU shows as latency even when it is refused. Each phase gives the machine's 1-minute load average at its end: with ${results.machine.cpus} CPUs, a load well above ${results.machine.cpus} means other work shared the measurement and its ratios carry that noise.`,
    '',
    `Target (issue 12): during each attack the normal traffic's p99 at most ${MAX_P99_RATIO}x the baseline's, no errors, no breaker opened.`,
    '',
    ...summaryTable(results),
    '',
    `### Quiet baseline`,
    '',
    `Dashboards: ${number(baseline.normal.dashboards.requests)} requests, p50 ${ms(baseline.normal.dashboards.p50Ms)}, p99 ${ms(baseline.normal.dashboards.p99Ms)}, errors ${errorsText(baseline.normal.dashboards)}. \`me\`: ${number(baseline.normal.me.requests)} requests, p50 ${ms(baseline.normal.me.p50Ms)}, p99 ${ms(baseline.normal.me.p99Ms)}, errors ${errorsText(baseline.normal.me)}. Breaker opens: ${breakersText(baseline.metrics)}. The soak's own event-loop delay p99 ${ms(baseline.harnessEventLoopDelay.p99Ms)}, max ${ms(baseline.harnessEventLoopDelay.maxMs)}${loadText(baseline)}.`,
    '',
  ];
  for (const phase of attacks) {
    const verdict = results.verdicts.find((one) => one.attack === phase.phase);
    if (!verdict) continue;
    lines.push(
      `### ${phase.title}: ${VERDICT[verdict.verdict]}`,
      '',
      `The attacker: ${phase.description}. Measured over ${number(phase.seconds, 1)} s; the soak's own event-loop delay p99 ${ms(phase.harnessEventLoopDelay.p99Ms)}, max ${ms(phase.harnessEventLoopDelay.maxMs)}${loadText(phase)}.`,
      '',
      ...attackTable(baseline, phase, verdict),
      '',
      ...attackerLines(phase.attacker, phase.metrics),
      ...quietAgainLine(phase),
      '',
    );
  }
  return lines;
}

/** How to run the soak and what its variables do (for the Running it section). */
export const ABUSE_RUNNING_LINES = [
  '`npm run bench -- abuse` (or `npm run bench:abuse`) runs only the abuse soak, in about five',
  'minutes: the same stack, stores, subgraphs and seed, then one gateway with its default limits, a',
  'quiet baseline and each attack; it writes `bench/results/abuse-<YYYY-MM-DD>.json` and regenerates',
  'this file, keeping the newest full run above.',
  '',
  '| variable | default | what |',
  '| --- | --- | --- |',
  '| `BENCH_ABUSE_PHASE_SECONDS` | `20` | seconds of the baseline and of each attack |',
  '| `BENCH_ABUSE_DASHBOARD_CONNECTIONS` | `4` | closed-loop connections of normal dashboards (besides the `me` loop) |',
  '| `BENCH_ABUSE_ATTACKS` | `subscription-amplification,batch,subscribe-frames,uncharged-work,revoked-key` | attacks, in order |',
  "| `BENCH_ABUSE_METRICS` | `public` | where /metrics is read: `public` (the gateway's port), `internal` (the port passed as `METRICS_PORT`) or a URL; the others are tried when it does not answer |",
  '| `BENCH_ABUSE_METRICS_TOKEN` | none | sent as `Authorization: Bearer` to the metrics address (the gateway inherits the environment, so set its own metrics variables beside it) |',
  '| `BENCH_ABUSE_VICTIM_ROLE` | `ADMIN` | `ADMIN`: the victim has a tier of its own, never refused; `USER`: a user like the attackers, every limit at its default |',
];
