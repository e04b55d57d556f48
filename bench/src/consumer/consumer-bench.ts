/**
 * The notification consumer under a steady stream of events (issue 16 item 3):
 * `npx tsx bench/src/consumer/consumer-bench.ts` (with the stack's STACK_DIR / STACK_NO_DOCKER).
 *
 * For each rate in BENCH_CONSUMER_RATES it produces one-recipient `document.updated` events in the
 * project's format (`createEvent` / `toKafkaMessage`) for BENCH_CONSUMER_SECONDS, on a topic of its
 * own (three partitions, like the event topics, so other consumers and tests never replay them),
 * to a real notification consumer (`startNotificationConsumer`, this process) on a fresh database;
 * it reads the group's lag from Kafka every second and reports the lag when production stops, the
 * highest lag, events handled per second while producing, and how long the rest took to drain.
 * Then one event for BENCH_CONSUMER_FANOUT members: the time until it is committed and every row
 * is stored and published. Prints a Markdown table; bench/notes/consumer-batching.md has results.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Pool } from 'pg';
import { z } from 'zod';
import { createEvent, createKafka, toKafkaMessage } from '@platform/events';
import { createLogger } from '@platform/logger';
import {
  loadNotificationConfig,
  startNotificationConsumer,
  startNotificationSubgraph,
} from '@platform/notification-subgraph';
import { createTestDatabase, stackEndpoints, uniqueName } from '@platform/testing';
import { progress } from '../progress.js';

const settings = z
  .object({
    BENCH_CONSUMER_RATES: z
      .string()
      .default('300,500')
      .transform((value) => value.split(',').map(Number))
      .pipe(z.array(z.number().int().positive())),
    BENCH_CONSUMER_SECONDS: z.coerce.number().int().positive().default(30),
    BENCH_CONSUMER_FANOUT: z.coerce.number().int().nonnegative().default(10_000),
    BENCH_CONSUMER_DRAIN_SECONDS: z.coerce.number().int().positive().default(120),
  })
  .parse(process.env);

const logger = createLogger('consumer-bench', { level: 'warn' });
const kafka = createKafka('consumer-bench', stackEndpoints().kafka.brokers, logger);
const PARTITIONS = 3;
const TICK_MS = 100;

interface RateResult {
  rate: number;
  produced: number;
  lagAtEnd: number;
  maxLag: number;
  handledPerSecond: number;
  drainSeconds: number | null;
}

const oneRecipientEvent = (recipient: string) =>
  createEvent('document.updated', {
    actor: { userId: 'bench-actor' },
    subject: { type: 'Document', id: uniqueName('bench-doc') },
    data: {
      projectId: 'bench-project',
      title: 'Plan',
      version: 2,
      changedFields: ['title'],
      memberIds: ['bench-actor', recipient],
    },
  });

async function main(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const database = await createTestDatabase('consumer_bench');
  const config = {
    ...loadNotificationConfig({
      DATABASE_URL: database.url,
      GATEWAY_SECRET: 'b'.repeat(32),
      KAFKA_GROUP_ID: uniqueName('consumer-bench'),
      LOG_LEVEL: 'warn',
    }),
    PORT: 0,
  };
  const subgraph = await startNotificationSubgraph(config, logger, { consume: false });
  const topics: string[] = [];
  const results: RateResult[] = [];
  let fanout: { recipients: number; seconds: number } | undefined;
  try {
    for (const rate of settings.BENCH_CONSUMER_RATES) {
      const topic = uniqueName('bench.consumer');
      topics.push(topic);
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: PARTITIONS }],
      });
      const groupId = uniqueName('consumer-bench');
      const consumer = await startNotificationConsumer(
        { ...config, KAFKA_GROUP_ID: groupId },
        logger,
        {
          pool: subgraph.pool,
          metrics: subgraph.metrics,
          kafka,
          topics: [topic],
        },
      );
      try {
        const lag = () => groupLag(admin, groupId, topic);
        // The group has joined and reads the topic once a first event is committed.
        await producer.send({
          topic,
          messages: [toKafkaMessage(oneRecipientEvent('warm-up')).message],
        });
        await until(async () => (await lag()).lag === 0, 60_000);

        progress(`consumer bench: ${rate} events/s for ${settings.BENCH_CONSUMER_SECONDS} s`);
        const start = await lag();
        let maxLag = 0;
        let produced = 0;
        const startedAt = Date.now();
        const endsAt = startedAt + settings.BENCH_CONSUMER_SECONDS * 1000;
        let nextSample = startedAt + 1000;
        while (Date.now() < endsAt) {
          const due = Math.floor(((Date.now() - startedAt) / 1000) * rate) - produced;
          if (due > 0) {
            const messages = Array.from(
              { length: due },
              (_, index) =>
                toKafkaMessage(oneRecipientEvent(`bench-user-${(produced + index) % 1000}`))
                  .message,
            );
            produced += due;
            await producer.send({ topic, messages });
          }
          if (Date.now() >= nextSample) {
            nextSample += 1000;
            maxLag = Math.max(maxLag, (await lag()).lag);
          }
          await sleep(TICK_MS);
        }
        const end = await lag();
        const elapsed = (Date.now() - startedAt) / 1000;
        maxLag = Math.max(maxLag, end.lag);
        const drainStart = Date.now();
        const drained = await until(
          async () => (await lag()).lag === 0,
          settings.BENCH_CONSUMER_DRAIN_SECONDS * 1000,
        );
        const result: RateResult = {
          rate,
          produced,
          lagAtEnd: end.lag,
          maxLag,
          handledPerSecond: (end.committed - start.committed) / elapsed,
          drainSeconds: drained ? (Date.now() - drainStart) / 1000 : null,
        };
        progress(`consumer bench: ${JSON.stringify(result)}`);
        results.push(result);

        if (settings.BENCH_CONSUMER_FANOUT > 0 && rate === settings.BENCH_CONSUMER_RATES.at(-1)) {
          fanout = await fanOut(producer, topic, lag, subgraph.pool);
          progress(`consumer bench: fan-out ${JSON.stringify(fanout)}`);
        }
      } finally {
        await consumer.stop();
      }
    }
  } finally {
    await subgraph.stop();
    await database.drop();
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await producer.disconnect();
    await admin.disconnect();
  }
  process.stdout.write(table(results, fanout));
}

/** One event for BENCH_CONSUMER_FANOUT members: seconds until committed and every row published. */
async function fanOut(
  producer: Producer,
  topic: string,
  lag: () => Promise<{ lag: number }>,
  pool: Pool,
) {
  const recipients = Array.from(
    { length: settings.BENCH_CONSUMER_FANOUT },
    (_, index) => `${uniqueName('bench-member')}-${index}`,
  );
  const event = createEvent('document.updated', {
    actor: { userId: 'bench-actor' },
    subject: { type: 'Document', id: uniqueName('bench-doc') },
    data: {
      projectId: 'bench-project',
      title: 'Plan',
      version: 2,
      changedFields: ['title'],
      memberIds: ['bench-actor', ...recipients],
    },
  });
  // Measured alone: whatever the rate left behind is handled first.
  await until(async () => (await lag()).lag === 0, settings.BENCH_CONSUMER_DRAIN_SECONDS * 5000);
  const startedAt = Date.now();
  await producer.send({ topic, messages: [toKafkaMessage(event).message] });
  const done = await until(async () => {
    if ((await lag()).lag > 0) return false;
    const { rows } = await pool.query<{ published: number }>(
      `SELECT count(*)::int AS published FROM notifications
       WHERE event_id = $1 AND published_at IS NOT NULL`,
      [event.id],
    );
    return rows[0]!.published === recipients.length;
  }, settings.BENCH_CONSUMER_DRAIN_SECONDS * 1000);
  return { recipients: recipients.length, seconds: done ? (Date.now() - startedAt) / 1000 : NaN };
}

/** The group's committed offsets and lag on the topic, summed over partitions. */
async function groupLag(admin: Admin, groupId: string, topic: string) {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  let lag = 0;
  let done = 0;
  for (const { partition, high } of ends) {
    const offset = committed?.partitions.find((entry) => entry.partition === partition)?.offset;
    const at = offset === undefined || Number(offset) < 0 ? 0 : Number(offset);
    lag += Number(high) - at;
    done += at;
  }
  return { lag, committed: done };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
}

function table(results: RateResult[], fanout: { recipients: number; seconds: number } | undefined) {
  const rows = results.map(
    (r) =>
      `| ${r.rate} | ${r.produced} | ${r.handledPerSecond.toFixed(0)} | ${r.lagAtEnd} | ${r.maxLag} | ${r.drainSeconds === null ? 'not drained' : r.drainSeconds.toFixed(1)} |`,
  );
  return [
    `| events/s asked | produced | handled/s while producing | lag at end | max lag | drain s |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows,
    fanout
      ? `\none event for ${fanout.recipients} members: stored and published in ${fanout.seconds.toFixed(1)} s`
      : '',
    '',
  ].join('\n');
}

await main();
