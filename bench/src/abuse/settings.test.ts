import { describe, expect, it } from '@jest/globals';
import { loadAbuseSettings } from './settings.js';

describe('loadAbuseSettings', () => {
  it('runs all five attacks for 20 s each beside 4 dashboard connections by default', () => {
    expect(loadAbuseSettings({})).toEqual({
      phaseSeconds: 20,
      dashboardConnections: 4,
      attacks: [
        'subscription-amplification',
        'batch',
        'subscribe-frames',
        'uncharged-work',
        'revoked-key',
      ],
      metrics: 'public',
      metricsToken: undefined,
      victimRole: 'ADMIN',
    });
  });

  it('takes attacks in the order given and a metrics URL', () => {
    expect(
      loadAbuseSettings({
        BENCH_ABUSE_ATTACKS: 'revoked-key, batch',
        BENCH_ABUSE_METRICS: 'http://127.0.0.1:9464/metrics',
      }),
    ).toMatchObject({
      attacks: ['revoked-key', 'batch'],
      metrics: 'http://127.0.0.1:9464/metrics',
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadAbuseSettings({ BENCH_ABUSE_ATTACKS: 'batch,ddos' })).toThrow(
      /BENCH_ABUSE_ATTACKS/,
    );
    expect(() => loadAbuseSettings({ BENCH_ABUSE_METRICS: 'somewhere' })).toThrow(
      /BENCH_ABUSE_METRICS/,
    );
    expect(() => loadAbuseSettings({ BENCH_ABUSE_PHASE_SECONDS: '1' })).toThrow(
      /BENCH_ABUSE_PHASE_SECONDS/,
    );
  });
});
