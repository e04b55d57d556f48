import { describe, expect, it } from '@jest/globals';
import { ConcurrencyLimitedError, concurrencyLimit } from './concurrency-limit.js';

/** A task that runs until `finish()` is called. */
function pending() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    task: async () => {
      started = true;
      await done;
      return 'done';
    },
    finish: () => finish(),
    get started() {
      return started;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrencyLimit', () => {
  it('runs at most `limit` tasks of one key at once and starts the next when one ends', async () => {
    const gate = concurrencyLimit({ limit: 2, maxWaitMs: Infinity });
    const tasks = [pending(), pending(), pending()];
    const results = tasks.map((task) => gate.run('alice', task.task));
    await tick();
    expect(tasks.map((task) => task.started)).toEqual([true, true, false]);
    expect(gate.running('alice')).toBe(2);

    tasks[0]!.finish();
    await tick();
    expect(tasks[2]!.started).toBe(true);
    expect(gate.running('alice')).toBe(2);

    tasks[1]!.finish();
    tasks[2]!.finish();
    await expect(Promise.all(results)).resolves.toEqual(['done', 'done', 'done']);
    expect(gate.running('alice')).toBe(0);
  });

  it('keeps keys apart: one key at its limit does not delay another', async () => {
    const gate = concurrencyLimit({ limit: 1, maxWaitMs: 50 });
    const alice = pending();
    const aliceRun = gate.run('alice', alice.task);
    await expect(gate.run('bob', async () => 'bob')).resolves.toBe('bob');
    alice.finish();
    await aliceRun;
  });

  it('refuses a task that waited maxWaitMs without running it', async () => {
    const gate = concurrencyLimit({ limit: 1, maxWaitMs: 20 });
    const holder = pending();
    const holding = gate.run('alice', holder.task);
    let ran = false;
    const refused = gate.run('alice', async () => {
      ran = true;
    });
    await expect(refused).rejects.toBeInstanceOf(ConcurrencyLimitedError);
    expect(ran).toBe(false);

    // The refused waiter left the queue: the slot goes to the next task once the holder ends.
    holder.finish();
    await holding;
    await expect(gate.run('alice', async () => 'next')).resolves.toBe('next');
    expect(gate.running('alice')).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const gate = concurrencyLimit({ limit: 1, maxWaitMs: 20 });
    await expect(
      gate.run('alice', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(gate.run('alice', async () => 'again')).resolves.toBe('again');
  });

  it('hands out slots to release by hand, once', async () => {
    const gate = concurrencyLimit({ limit: 1, maxWaitMs: Infinity });
    const release = await gate.acquire('batch');
    const second = gate.acquire('batch');
    await tick();
    expect(gate.running('batch')).toBe(1);
    release();
    release();
    const releaseSecond = await second;
    expect(gate.running('batch')).toBe(1);
    releaseSecond();
    expect(gate.running('batch')).toBe(0);
  });
});
