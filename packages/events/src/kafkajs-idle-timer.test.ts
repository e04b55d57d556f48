import { createHook } from 'node:async_hooks';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '@platform/logger';
import { stackEndpoints, uniqueName } from '@platform/testing';
import { createKafka, ensureEventTopics, startEventConsumer } from './index.js';

const logger = createLogger('events-test', { level: 'silent' });
const kafka = createKafka('idle-timer-test', stackEndpoints().kafka.brokers, logger);
const cleanups: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Timers created in this process while `wait` runs. */
async function timersCreatedDuring(wait: () => Promise<void>): Promise<number> {
  let created = 0;
  const hook = createHook({
    init: (_id, type) => {
      if (type === 'Timeout') created++;
    },
  });
  hook.enable();
  try {
    await wait();
  } finally {
    hook.disable();
  }
  return created;
}

describe('a kafkajs consumer with nothing to consume', () => {
  it('sets a few timers a second, not one per millisecond per broker connection', async () => {
    await ensureEventTopics(kafka);
    const consumer = await startEventConsumer({
      kafka,
      groupId: uniqueName('idle-timer'),
      logger,
      handle: async () => undefined,
      fromBeginning: false,
    });
    cleanups.push(() => consumer.stop());
    await new Promise((resolve) => setTimeout(resolve, 1000)); // joined and fetching

    const created = await timersCreatedDuring(
      () => new Promise((resolve) => setTimeout(resolve, 2000)),
    );
    // Heartbeats, long-poll fetches and their timeouts: tens in 2 s. kafkajs 2.2.4 unfixed re-arms
    // a timer about every millisecond per connection (thousands in 2 s).
    expect(created).toBeLessThan(300);
  }, 60_000);
});
