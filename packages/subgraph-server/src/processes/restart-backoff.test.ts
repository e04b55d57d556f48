import { describe, expect, it } from '@jest/globals';
import { MAX_RESTART_DELAY_MS, RestartBackoff, STABLE_AFTER_MS } from './restart-backoff.js';

describe('RestartBackoff', () => {
  it('doubles the wait with each crash in a row, up to 30 s', () => {
    const backoff = new RestartBackoff();
    const delays = Array.from({ length: 9 }, () => backoff.nextDelayMs(1_000));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoff.crashesInARow).toBe(9);
    expect(Math.max(...delays)).toBe(MAX_RESTART_DELAY_MS);
  });

  it('starts afresh after a process that stayed up a while', () => {
    const backoff = new RestartBackoff();
    backoff.nextDelayMs(1_000);
    backoff.nextDelayMs(1_000);
    expect(backoff.nextDelayMs(STABLE_AFTER_MS)).toBe(500);
    expect(backoff.crashesInARow).toBe(1);
  });
});
