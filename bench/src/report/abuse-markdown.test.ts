import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { PhaseMetrics } from '../abuse/breaker-metrics.js';
import type { StreamResult } from '../abuse/normal-traffic.js';
import {
  ABUSE_RESULTS_VERSION,
  readNewestAbuseResults,
  type AbuseResults,
  type PhaseResult,
} from '../abuse/results.js';
import { judgeAttacks } from '../abuse/verdicts.js';
import { renderAbuseSection, tallyText } from './abuse-markdown.js';

const stream = (p99Ms: number, errorCodes: Record<string, number> = {}): StreamResult => {
  const failed = Object.values(errorCodes).reduce((sum, value) => sum + value, 0);
  return {
    requests: 400,
    p50Ms: p99Ms / 2,
    p99Ms,
    maxMs: p99Ms,
    failed,
    statuses: {},
    errorCodes,
    noAnswer: 0,
  };
};

const metrics = (overrides: Partial<PhaseMetrics> = {}): PhaseMetrics => ({
  source: 'http://127.0.0.1:4000/metrics',
  reads: 40,
  breakerOpens: 0,
  subgraphsWithOpenBreaker: [],
  mostOpenAtOnce: 0,
  subgraphFailures: {},
  rateLimitFallbacks: 0,
  rateLimitDecisions: {},
  ...overrides,
});

const baseline: PhaseResult = {
  phase: 'baseline',
  title: 'Quiet baseline',
  description: 'normal traffic only',
  seconds: 20,
  normal: { dashboards: stream(120), me: stream(15) },
  metrics: metrics(),
  attacker: null,
  harnessEventLoopDelay: { p99Ms: 12, maxMs: 30 },
};

const amplification: PhaseResult = {
  phase: 'subscription-amplification',
  title: 'Subscription amplification',
  description: 'one socket with 100 subscriptions',
  seconds: 20.4,
  normal: { dashboards: stream(2700, { SUBGRAPH_UNAVAILABLE: 96 }), me: stream(20) },
  metrics: metrics({
    breakerOpens: 2,
    subgraphsWithOpenBreaker: ['data', 'user'],
    mostOpenAtOnce: 2,
    rateLimitFallbacks: 41,
  }),
  attacker: {
    sent: { 'subscribe frames': 100 },
    got: { 'notifications with SUBGRAPH_UNAVAILABLE': 96, 'notifications delivered clean': 4 },
    notes: [],
  },
  harnessEventLoopDelay: { p99Ms: 15, maxMs: 40 },
};

const revokedKey: PhaseResult = {
  ...baseline,
  phase: 'revoked-key',
  title: 'Revoked API key on an open socket',
  description: 'a READ key revoked under an open socket',
  attacker: {
    sent: { 'keys revoked': 1 },
    got: { 'socket closed 4401 Unauthorized': 1 },
    notes: ['HTTP with the key refused (401) after 3.0 s'],
    correctness: {
      wanted: 'the socket closed 4401 or 4403',
      measured: 'socket closed 4401 after 9.8 s',
      met: true,
    },
  },
};

function results(phases: PhaseResult[] = [baseline, amplification, revokedKey]): AbuseResults {
  const [first, ...attacks] = phases;
  return {
    version: ABUSE_RESULTS_VERSION,
    date: '2026-12-04',
    startedAt: '2026-12-04T01:00:00.000Z',
    finishedAt: '2026-12-04T01:05:00.000Z',
    command: 'npm run bench -- abuse',
    machine: { cpus: 2, cpuModel: 'test CPU', memoryBytes: 2 ** 34, node: 'v20', os: 'Linux' },
    settings: {
      phaseSeconds: 20,
      dashboardConnections: 4,
      victimRole: 'ADMIN',
      responseCache: false,
      metricsRequested: 'public',
      metricsSource: 'http://127.0.0.1:4000/metrics',
    },
    gatewayEnv: {},
    phases,
    verdicts: judgeAttacks(first!, attacks),
  };
}

describe('renderAbuseSection', () => {
  const markdown = renderAbuseSection(results(), 'bench/results/abuse-2026-12-04.json').join('\n');

  it('summarizes every attack: p99 against the baseline, normal errors, breaker opens, verdict', () => {
    expect(markdown).toContain('## Abuse soak (issue 12), 2026-12-04');
    expect(markdown).toMatch(
      /\| Subscription amplification \| 22\.50x \| 1\.33x \| 96 \| 2 \| – \| \*\*missed\*\* \|/,
    );
    expect(markdown).toMatch(
      /\| Revoked API key on an open socket \| 1\.00x \| 1\.00x \| 0 \| 0 \| met \| met \|/,
    );
  });

  it("tables an attack's normal traffic next to the baseline, with error codes and open breakers", () => {
    const section = markdown.slice(markdown.indexOf('### Subscription amplification'));
    expect(section).toMatch(
      /\| dashboards p99 \(p50\) \| 120 ms \(60 ms\) \| 2,700 ms \(1,350 ms\), 22\.50x \| <= 2x \| \*\*missed\*\* \|/,
    );
    expect(section).toContain(
      '| errors: dashboards | 0 | 96 (SUBGRAPH_UNAVAILABLE 96) | 0 | **missed** |',
    );
    expect(section).toContain(
      '| breaker opens | 0 | 2 (data, user; at most 2 at once) | 0 | **missed** |',
    );
    expect(section).toContain('| rate-limit fallback decisions | 0 | 41 |');
    expect(section).toContain(
      '- Attacker got: notifications with SUBGRAPH_UNAVAILABLE 96, notifications delivered clean 4.',
    );
  });

  it("states the revoked key's wanted and measured behaviour", () => {
    expect(markdown).toContain(
      '- Wanted: the socket closed 4401 or 4403. Measured: socket closed 4401 after 9.8 s: met.',
    );
    expect(markdown).toContain('- HTTP with the key refused (401) after 3.0 s.');
  });

  it('says how long the gateway took to be quiet again after an attack, or that it was not, and the load average', () => {
    const slow = { ...amplification, quietAgainSeconds: 4.25, loadAverage: 3.42 };
    const stuck = { ...revokedKey, quietAgainSeconds: null };
    const text = renderAbuseSection(results([baseline, slow, stuck]), 'f.json').join('\n');
    expect(text).toContain('- Quiet again 4.3 s after the attack stopped');
    expect(text).toContain("max 40 ms; the machine's load average 3.4.");
    expect(text).toContain(
      '- After the attack stopped, the gateway was not quiet again within 30 s.',
    );
  });

  it('says the breakers were not measured when no metrics address answered', () => {
    const unread = { ...amplification, metrics: metrics({ source: null }) };
    const text = renderAbuseSection(results([baseline, unread]), 'f.json').join('\n');
    expect(text).toContain('| breaker opens | 0 | not measured | 0 | not measured |');
    expect(text).not.toContain('- Gateway: subgraph fetch failures');
  });
});

describe('tallyText', () => {
  it('lists counts biggest first, then by name', () => {
    expect(tallyText({ b: 1, a: 1, c: 5 })).toBe('c 5, a 1, b 1');
    expect(tallyText({})).toBe('none');
  });
});

describe('readNewestAbuseResults', () => {
  it('reads the newest abuse file of the current shape and ignores the full runs and older shapes', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-abuse-results-'));
    const write = (name: string, value: unknown) =>
      writeFileSync(path.join(directory, name), JSON.stringify(value));
    write('abuse-2026-12-01.json', { ...results(), date: '2026-12-01' });
    write('abuse-2026-12-02.json', { ...results(), date: '2026-12-02' });
    write('abuse-2026-12-03.json', { version: 0, date: '2026-12-03' });
    write('2026-12-05.json', { version: 2, date: '2026-12-05' });
    expect(readNewestAbuseResults(directory)?.results.date).toBe('2026-12-02');
    expect(readNewestAbuseResults('/nonexistent')).toBeUndefined();
  });
});
