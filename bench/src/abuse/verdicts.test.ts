import { describe, expect, it } from '@jest/globals';
import type { PhaseMetrics } from './breaker-metrics.js';
import type { StreamResult } from './normal-traffic.js';
import type { PhaseResult } from './results.js';
import { judgeAttacks } from './verdicts.js';

const stream = (p99Ms: number, failed = 0): StreamResult => ({
  requests: 100,
  p50Ms: p99Ms / 2,
  p99Ms,
  maxMs: p99Ms,
  failed,
  statuses: {},
  errorCodes: failed > 0 ? { SUBGRAPH_UNAVAILABLE: failed } : {},
  noAnswer: 0,
});

const metrics = (
  breakerOpens = 0,
  source: string | null = 'http://gateway/metrics',
): PhaseMetrics => ({
  source,
  reads: 40,
  breakerOpens,
  subgraphsWithOpenBreaker: breakerOpens > 0 ? ['data'] : [],
  mostOpenAtOnce: breakerOpens > 0 ? 1 : 0,
  subgraphFailures: {},
  rateLimitFallbacks: 0,
  rateLimitDecisions: {},
});

function phase(
  id: PhaseResult['phase'],
  {
    dashboardsP99 = 100,
    meP99 = 20,
    failed = 0,
    breakerOpens = 0,
    source = 'm' as string | null,
  } = {},
): PhaseResult {
  return {
    phase: id,
    title: id,
    description: id,
    seconds: 20,
    normal: { dashboards: stream(dashboardsP99, failed), me: stream(meP99) },
    metrics: metrics(breakerOpens, source),
    attacker: id === 'baseline' ? null : { sent: {}, got: {}, notes: [] },
    harnessEventLoopDelay: { p99Ms: 11, maxMs: 20 },
  };
}

describe('judgeAttacks', () => {
  const baseline = phase('baseline');

  it('is met when p99 stays within 2x of the baseline with no errors and no breaker opened', () => {
    const [verdict] = judgeAttacks(baseline, [phase('batch', { dashboardsP99: 200, meP99: 40 })]);
    expect(verdict).toMatchObject({
      attack: 'batch',
      dashboardsP99Ratio: 2,
      meP99Ratio: 2,
      latency: 'met',
      errors: 'met',
      breakers: 'met',
      verdict: 'met',
    });
  });

  it('misses on a p99 over 2x, on any failed normal request, and on any breaker opening', () => {
    const verdicts = judgeAttacks(baseline, [
      phase('batch', { meP99: 41 }),
      phase('uncharged-work', { failed: 1 }),
      phase('subscribe-frames', { breakerOpens: 1 }),
    ]);
    expect(verdicts.map((one) => [one.latency, one.errors, one.breakers, one.verdict])).toEqual([
      ['missed', 'met', 'met', 'missed'],
      ['met', 'missed', 'met', 'missed'],
      ['met', 'met', 'missed', 'missed'],
    ]);
    expect(verdicts[1]!.normalErrors).toBe(1);
  });

  it('says not measured when the metrics could not be read, unless something else missed', () => {
    const [unread, missed] = judgeAttacks(baseline, [
      phase('batch', { source: null }),
      phase('uncharged-work', { source: null, failed: 2 }),
    ]);
    expect([unread!.breakers, unread!.verdict]).toEqual(['not measured', 'not measured']);
    expect(missed!.verdict).toBe('missed');
  });

  it('judges the revoked key on its correctness too, and an attack that could not start as not measured', () => {
    const revoked = phase('revoked-key');
    revoked.attacker = {
      sent: {},
      got: {},
      notes: [],
      correctness: { wanted: 'closed 4401', measured: 'still open', met: false },
    };
    const failed = { ...phase('batch'), failure: 'could not prepare the attack: no key' };
    const [key, batch] = judgeAttacks(baseline, [revoked, failed]);
    expect([key!.correctness, key!.verdict]).toEqual(['missed', 'missed']);
    expect(batch!.verdict).toBe('not measured');
  });
});
