import { describe, expect, it } from '@jest/globals';
import { TIMED_OUT, withinDeadline } from './deadline.js';

// An answer already waiting in a socket while the event loop was busy past the deadline:
// gateway/test/redis/degrading-commands.test.ts and gateway/test/rate-limit/burst.test.ts, on Redis.
describe('withinDeadline', () => {
  it('answers what came in time', async () => {
    expect(await withinDeadline(Promise.resolve('fast'), 1000)).toBe('fast');
  });

  it('times out an answer that never comes', async () => {
    expect(await withinDeadline(new Promise(() => undefined), 10)).toBe(TIMED_OUT);
  });
  it('passes on a failure that came in time, and ignores one that came too late', async () => {
    await expect(withinDeadline(Promise.reject(new Error('READONLY')), 1000)).rejects.toThrow(
      'READONLY',
    );
    let rejectLate: (error: Error) => void = () => undefined;
    const late = new Promise((_resolve, reject) => (rejectLate = reject));
    expect(await withinDeadline(late, 5)).toBe(TIMED_OUT);
    rejectLate(new Error('too late'));
  });
});
