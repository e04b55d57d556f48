import { describe, expect, it } from '@jest/globals';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('answers the first value that is not undefined', async () => {
    let tries = 0;
    const value = await eventually(() => (++tries >= 3 ? tries : undefined), { intervalMs: 1 });
    expect(value).toBe(3);
  });

  it('retries while the read throws and answers once it passes', async () => {
    let tries = 0;
    const value = await eventually(
      () => {
        if (++tries < 3) throw new Error('not yet');
        return 'done';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('done');
  });

  it('fails with the last error the read threw when time runs out', async () => {
    await expect(
      eventually(
        () => {
          throw new Error('still 2 of 3');
        },
        { timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow('still 2 of 3');
  });

  it('names what it waited for when the read never answered', async () => {
    await expect(
      eventually(() => undefined, { timeoutMs: 20, intervalMs: 5, what: 'the third delivery' }),
    ).rejects.toThrow('waiting for the third delivery');
  });
});
