import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Partitioners, type Producer } from 'kafkajs';
import { createLogger } from '@platform/logger';
import { eventually, stackEndpoints, uniqueName } from '@platform/testing';
import {
  createEvent,
  createKafka,
  startEventConsumer,
  toKafkaMessage,
  type EventConsumer,
} from '../src/index.js';

const logger = createLogger('consumer-group-test', { level: 'silent' });
const kafka = createKafka('consumer-group-test', stackEndpoints().kafka.brokers, logger);
const MEMBER = fileURLToPath(new URL('./fixtures/group-member.ts', import.meta.url));

let producer: Producer;
const consumers: EventConsumer[] = [];
const members: ChildProcess[] = [];

/** A topic of this test's own (one partition), so no other test's events reach its groups. */
async function freshTopic(): Promise<string> {
  const topic = uniqueName('consumer-group-test');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

async function produce(topic: string): Promise<string> {
  const event = createEvent('document.deleted', {
    actor: { userId: 'u-a' },
    subject: { type: 'Document', id: uniqueName('doc') },
    data: { projectId: 'p1', title: 'Gone', memberIds: ['u-a'] },
  });
  await producer.send({ topic, messages: [toKafkaMessage(event).message] });
  return event.id;
}

async function consume(groupId: string, topic: string, fromBeginning = true) {
  const handled: string[] = [];
  const consumer = await startEventConsumer({
    kafka,
    groupId,
    topics: [topic],
    logger,
    fromBeginning,
    handle: async (event) => {
      handled.push(event.id);
    },
  });
  consumers.push(consumer);
  return { consumer, handled };
}

/** Starts the fixture member and resolves with its log lines once it logged `consuming`. */
async function startMember(groupId: string, topic: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', MEMBER], {
    env: { ...process.env, MEMBER_GROUP_ID: groupId, MEMBER_TOPIC: topic, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  members.push(child);
  const lines: Array<{ msg: string; eventId?: string }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) lines.push(JSON.parse(line) as { msg: string });
  });
  await eventually(() => lines.some((line) => line.msg === 'consuming') || undefined, {
    timeoutMs: 60_000,
    what: 'the member process consuming',
  });
  return { child, lines };
}

beforeAll(async () => {
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  for (const member of members) member.kill('SIGKILL');
  for (const consumer of consumers) await consumer.stop();
  await producer.disconnect();
});

describe('a consumer group member', () => {
  it('consumes an event produced the moment `consuming` resolves, though its group starts at the latest offset', async () => {
    // A new group with fromBeginning false starts at the offset that is latest when its first
    // fetch resolves it, after the join: an event produced between the two would be skipped.
    for (let round = 0; round < 3; round++) {
      const topic = await freshTopic();
      const { consumer, handled } = await consume(uniqueName('latest'), topic, false);
      await consumer.consuming;
      const eventId = await produce(topic);
      await eventually(() => handled.includes(eventId) || undefined, {
        timeoutMs: 15_000,
        what: `event ${eventId} consumed in round ${round}`,
      });
    }
  }, 90_000);

  it('that crashed without leaving is replaced by a new member that resumes well within 30 s', async () => {
    const topic = await freshTopic();
    const groupId = uniqueName('crash');
    const member = await startMember(groupId, topic);
    const before = await produce(topic);
    await eventually(
      () =>
        member.lines.some((line) => line.msg === 'handled' && line.eventId === before) || undefined,
      { timeoutMs: 15_000, what: 'the member handling the first event' },
    );

    member.child.kill('SIGKILL');
    const killedAt = Date.now();
    const after = await produce(topic);
    // The new member's join is held until the coordinator drops the dead one: by its session
    // timeout (kafkajs's default 30 s; ours 10 s).
    const { handled } = await consume(groupId, topic);
    await eventually(() => handled.includes(after) || undefined, {
      timeoutMs: 40_000,
      what: 'the event produced after the crash',
    });
    const resumedInMs = Date.now() - killedAt;
    expect(resumedInMs).toBeLessThan(20_000);
  }, 90_000);
});
