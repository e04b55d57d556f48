import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import {
  ALL_EVENT_TOPICS,
  DEAD_LETTER_TOPIC,
  topicFor,
  type EventConsumer,
} from '@platform/events';
import { eventually, startPrivateKafka, uniqueName, type PrivateService } from '@platform/testing';
import {
  createDocument,
  graphql,
  graphqlWithHeaders,
  sharedProject,
  type SignedUpUser,
  signUp,
  startTestPlatform,
  type TestPlatform,
} from './platform.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * The event backbone end to end: mutations -> outbox -> Kafka (a broker of this test's own, so it
 * can be stopped) -> analytics and notification -> Redis -> gateway -> graphql-ws subscribers.
 */
let kafkaBroker: PrivateService & { brokers: string[] };
let platform: TestPlatform;
let alice: SignedUpUser;
let bob: SignedUpUser;
let carol: SignedUpUser;
let projectId: string;
let documentId: string;
let version = 1;
let editsMade = 0;
let lastSeenCursor: string;
let notificationConsumer: EventConsumer;
let analyticsConsumer: EventConsumer;
const subscribers: Subscriber[] = [];

const NOTIFICATION_ADDED = `subscription ($since: String) {
  notificationAdded(since: $since) {
    id cursor kind message
    actor { name }
    subject { ... on Document { title project { name } } }
  }
}`;

interface Notification {
  id: string;
  cursor: string;
  kind: string;
  message: string;
  actor: { name: string } | null;
  subject: { title: string; project: { name: string } } | null;
}

function subscribeAs(user: SignedUpUser, since?: string): Subscriber {
  const subscriber = subscribe(platform.gatewayUrl, user.token, NOTIFICATION_ADDED, { since });
  subscribers.push(subscriber);
  return subscriber;
}

/** Bob edits the shared document's title; every edit notifies Alice. */
async function bobEdits(title: string): Promise<void> {
  const result = await graphql<{ updateDocument: { version: number } }>(
    platform.gatewayUrl,
    'mutation ($id: ID!, $version: Int!, $title: String!) { updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { version } }',
    { id: documentId, version, title },
    bob,
  );
  expect(result.errors).toBeUndefined();
  version = result.data!.updateDocument.version;
  editsMade += 1;
}

async function storedNotificationIds(user: SignedUpUser): Promise<string[]> {
  const result = await graphql<{
    me: { notifications: { edges: Array<{ node: { id: string } }> } };
  }>(
    platform.gatewayUrl,
    '{ me { notifications(first: 100) { edges { node { id } } } } }',
    {},
    user,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.me.notifications.edges.map((edge) => edge.node.id);
}

async function projectStats(): Promise<{ documents: number; edits: number }> {
  const result = await graphql<{ project: { stats: { documents: number; edits: number } } }>(
    platform.gatewayUrl,
    'query ($id: ID!) { project(id: $id) { stats { documents edits } } }',
    { id: projectId },
    alice,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.project.stats;
}

/** Rewinds a stopped consumer group to the start of every event topic: a forced redelivery. */
async function rewind(groupId: string): Promise<void> {
  const admin = new Kafka({ brokers: kafkaBroker.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const topic of ALL_EVENT_TOPICS)
      await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

/**
 * The title each notification was about, from its message (written when it happened): the
 * `subject` is the live document, resolved at delivery, so it shows the current title.
 */
const titles = (notifications: unknown[]) =>
  (notifications as Notification[]).map((notification) => /"(.*)"/.exec(notification.message)?.[1]);

beforeAll(async () => {
  kafkaBroker = await startPrivateKafka();
  platform = await startTestPlatform({ events: { brokers: kafkaBroker.brokers } });
  notificationConsumer = await platform.events!.startNotificationConsumer();
  analyticsConsumer = await platform.events!.startAnalyticsConsumer();

  const url = platform.gatewayUrl;
  [alice, bob, carol] = [
    await signUp(url, 'alice'),
    await signUp(url, 'bob'),
    await signUp(url, 'carol'),
  ];
  projectId = await sharedProject(url, alice, 'Orbit', [bob]);
  documentId = await createDocument(url, alice, projectId);
}, 120_000);

afterAll(async () => {
  for (const subscriber of subscribers) await subscriber.close();
  await platform?.stop();
  await kafkaBroker?.dispose();
}, 60_000);

describe('live notifications', () => {
  it('pushes a change to the other project member with fields from three subgraphs, and to no one else', async () => {
    // `since: "0"` replays what was missed before the subscription went live: nothing is lost to
    // the moment between subscribing and the edit.
    const aliceLive = subscribeAs(alice, '0');
    const carolLive = subscribeAs(carol, '0');
    await bobEdits('Plan v2');

    const [notification] = (await aliceLive.waitFor(1)) as unknown as Notification[];
    expect(notification).toMatchObject({
      kind: 'DOCUMENT_UPDATED',
      actor: { name: 'bob' },
      subject: { title: 'Plan v2', project: { name: 'Orbit' } },
    });
    lastSeenCursor = notification!.cursor;

    // Bob was notified of being added and of the new document; Carol, outside the project, never.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(carolLive.received).toEqual([]);
    await aliceLive.close();
    await carolLive.close();
  }, 60_000);

  it('replays what a reconnecting client missed, in order, then goes live without duplicates', async () => {
    await bobEdits('Plan v3');
    await bobEdits('Plan v4');
    await bobEdits('Plan v5');
    await eventually(async () =>
      (await storedNotificationIds(alice)).length === 4 ? true : undefined,
    );

    const resumed = subscribeAs(alice, lastSeenCursor);
    expect(titles(await resumed.waitFor(3))).toEqual(['Plan v3', 'Plan v4', 'Plan v5']);
    await bobEdits('Plan v6');
    const all = (await resumed.waitFor(4)) as unknown as Notification[];
    expect(titles(all)).toEqual(['Plan v3', 'Plan v4', 'Plan v5', 'Plan v6']);
    expect(new Set(all.map((notification) => notification.id)).size).toBe(4);
    lastSeenCursor = all.at(-1)!.cursor;
    await resumed.close();
  }, 60_000);

  it('delivers every notification exactly once when events it had stored come again before their commit', async () => {
    // A consumer stopped and its group rewound is the state a crash between storing a notification
    // and committing the offset leaves behind: every event is delivered again.
    await notificationConsumer.stop();
    await rewind(platform.events!.groups.notification);
    const aliceLive = subscribeAs(alice, lastSeenCursor);
    notificationConsumer = await platform.events!.startNotificationConsumer();
    await bobEdits('Plan v7');

    const [fresh] = (await aliceLive.waitFor(1)) as unknown as Notification[];
    expect(titles([fresh])).toEqual(['Plan v7']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(aliceLive.received).toHaveLength(1);
    lastSeenCursor = fresh!.cursor;

    const stored = await storedNotificationIds(alice);
    expect(stored).toHaveLength(6);
    expect(new Set(stored).size).toBe(6);
    await aliceLive.close();
  }, 90_000);

  it('keeps a mutation made while Kafka is down and delivers its event once Kafka is back', async () => {
    const aliceLive = subscribeAs(alice, lastSeenCursor);
    const editsBefore = (await projectStats()).edits;
    await kafkaBroker.stop();
    await bobEdits('Plan v8');
    await kafkaBroker.start();

    const [delivered] = (await aliceLive.waitFor(1, 120_000)) as unknown as Notification[];
    expect(titles([delivered])).toEqual(['Plan v8']);
    lastSeenCursor = delivered!.cursor;
    await eventually(
      async () => ((await projectStats()).edits === editsBefore + 1 ? true : undefined),
      { timeoutMs: 120_000 },
    );
    await aliceLive.close();
  }, 240_000);
});

describe('notification lists in the response cache', () => {
  it('caches a notification list whose subjects resolve through the data subgraph', async () => {
    const query =
      '{ me { notifications(first: 5) { edges { node { message subject { ... on Document { title } } } } } } }';
    const result = await graphqlWithHeaders(platform.gatewayUrl, query, {}, alice);
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({
      me: { notifications: { edges: expect.arrayContaining([]) } },
    });
    expect(result.headers.get('cache-control')).toBe('max-age=60, private');
  });
});

describe('analytics', () => {
  it('counts each distinct event once after a forced redelivery', async () => {
    await eventually(async () => ((await projectStats()).edits === editsMade ? true : undefined));
    await analyticsConsumer.stop();
    await rewind(platform.events!.groups.analytics);
    analyticsConsumer = await platform.events!.startAnalyticsConsumer();
    await bobEdits('Plan v9');

    await eventually(async () => ((await projectStats()).edits === editsMade ? true : undefined), {
      timeoutMs: 60_000,
    });
    expect(await projectStats()).toEqual({ documents: 1, edits: editsMade });
  }, 120_000);
});

describe('dead letters', () => {
  it('moves a poison message to the dead-letter topic and keeps processing later events', async () => {
    const kafka = new Kafka({ brokers: kafkaBroker.brokers, logLevel: logLevel.NOTHING });
    const marker = uniqueName('poison');
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: topicFor('document'),
      messages: [{ key: documentId, value: `{"broken": "${marker}"` }],
    });
    await producer.disconnect();

    const aliceLive = subscribeAs(alice, lastSeenCursor);
    await bobEdits('Plan v10');
    // Alice also has the notification of the previous edit (Plan v9) waiting before this one.
    await eventually(() => (titles(aliceLive.received).includes('Plan v10') ? true : undefined));
    await eventually(async () => ((await projectStats()).edits === editsMade ? true : undefined));

    const { groups } = platform.events!;
    const deadLetters: Array<{ group: string; reason: string }> = [];
    const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await reader.connect();
    await reader.subscribe({ topic: DEAD_LETTER_TOPIC, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        if (!String(message.value).includes(marker)) return;
        deadLetters.push({
          group: String(message.headers?.['dead-letter-consumer-group']),
          reason: String(message.headers?.['dead-letter-reason']),
        });
      },
    });
    try {
      await eventually(() => {
        const seen = new Set(deadLetters.map((letter) => letter.group));
        return seen.has(groups.analytics) && seen.has(groups.notification) ? true : undefined;
      });
    } finally {
      await reader.disconnect();
    }
    // Every consumer group that read it dead-letters it: analytics, notification (and the
    // gateways' cache invalidation).
    expect(deadLetters.map((letter) => letter.group)).toEqual(
      expect.arrayContaining([groups.analytics, groups.notification]),
    );
    expect(deadLetters.every((letter) => letter.reason === 'message is not JSON')).toBe(true);
    await aliceLive.close();
  }, 90_000);
});

describe('a burst of events', () => {
  it('reaches a live subscriber complete and in order, stored by the consumer in a few transactions, not one per event', async () => {
    const newest = await graphql<{
      me: { notifications: { edges: Array<{ cursor: string }> } };
    }>(platform.gatewayUrl, '{ me { notifications(first: 1) { edges { cursor } } } }', {}, alice);
    const since = newest.data!.me.notifications.edges[0]!.cursor;
    await notificationConsumer.stop();
    const edits = Array.from({ length: 30 }, (_, index) => `Burst ${index + 1}`);
    for (const title of edits) await bobEdits(title);
    const aliceLive = subscribeAs(alice, since);

    // Rejoining the group can take up to a session timeout: the wait below allows for it.
    notificationConsumer = await platform.events!.startNotificationConsumer();

    const received = (await aliceLive.waitFor(30, 90_000)) as unknown as Notification[];
    expect(titles(received)).toEqual(edits);
    const cursors = received.map((notification) => BigInt(notification.cursor));
    expect(cursors.every((cursor, index) => index === 0 || cursor > cursors[index - 1]!)).toBe(
      true,
    );
    // Rows stored in one transaction share its now(): one event at a time, 30 transactions.
    const { rows } = await platform.events!.notification.pool.query<{ transactions: number }>(
      `SELECT count(DISTINCT created_at)::int AS transactions FROM notifications
       WHERE recipient_id = $1 AND message LIKE 'Document "Burst %'`,
      [alice.id],
    );
    expect(rows[0]!.transactions).toBeLessThan(10);
    await aliceLive.close();
  }, 150_000);
});
