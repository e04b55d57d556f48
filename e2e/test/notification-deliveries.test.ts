import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { createEvent, toKafkaMessage } from '@platform/events';
import { startPrivateKafka, type PrivateService } from '@platform/testing';
import {
  counter,
  createDocument,
  graphql,
  sharedProject,
  type SignedUpUser,
  signUp,
  startTestPlatform,
  type TestPlatform,
} from './platform.js';
import { openRawSocket, subscribe, type Subscriber } from './subscriber.js';

/**
 * Issue 16, item 2: a `notificationAdded` selection of the notification's own fields is served
 * from the message the notification subgraph publishes, with no query and no subgraph call; a
 * selection reaching into other subgraphs is still resolved through the supergraph.
 */
const OWN_FIELDS = `
  __typename id cursor kind message read createdAt
  actor { __typename id }
  subject { __typename ... on Document { id } ... on Project { id } }
`;
const MINIMAL = `subscription { notificationAdded { ${OWN_FIELDS} } }`;
const CROSS_SUBGRAPH = `subscription {
  notificationAdded { id message actor { name } subject { ... on Document { title project { name } } } }
}`;

let kafkaBroker: PrivateService & { brokers: string[] };
let producer: Producer;
let platform: TestPlatform;
let alice: SignedUpUser;
let bob: SignedUpUser;
let projectId: string;
let documentId: string;
const subscribers: Subscriber[] = [];

const resolutions = () =>
  counter(platform.gateway.metricsUrl, 'gateway_subscription_resolutions_total');

/** The notification as `notification(id)` answers it over HTTP, read from the store. */
async function stored(id: string): Promise<Record<string, unknown>> {
  const answer = await graphql<{ notification: Record<string, unknown> }>(
    platform.gatewayUrl,
    `query ($id: ID!) { notification(id: $id) { ${OWN_FIELDS} } }`,
    { id },
    alice,
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.notification;
}

beforeAll(async () => {
  kafkaBroker = await startPrivateKafka();
  platform = await startTestPlatform({ events: { brokers: kafkaBroker.brokers } });
  await platform.events!.startNotificationConsumer();
  const kafka = new Kafka({ brokers: kafkaBroker.brokers, logLevel: logLevel.NOTHING });
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const url = platform.gatewayUrl;
  [alice, bob] = [await signUp(url, 'alice'), await signUp(url, 'bob')];
  projectId = await sharedProject(url, alice, 'Orbit', [bob]);
  documentId = await createDocument(url, alice, projectId);
}, 180_000);

afterAll(async () => {
  for (const subscriber of subscribers) await subscriber.close();
  await producer?.disconnect();
  await platform?.stop();
  await kafkaBroker?.stop();
}, 60_000);

function subscribeAlice(query: string): Subscriber {
  const subscriber = subscribe(platform.gatewayUrl, alice.token, query);
  subscribers.push(subscriber);
  return subscriber;
}

describe('notificationAdded authorization', () => {
  it('still refuses an API key without the read scope, as before', async () => {
    const created = await graphql<{ createApiKey: { secret: string } }>(
      platform.gatewayUrl,
      'mutation { createApiKey(name: "writer", scopes: [WRITE]) { secret } }',
      {},
      alice,
    );
    expect(created.errors).toBeUndefined();
    const socket = openRawSocket(platform.gatewayUrl, {
      apiKey: created.data!.createApiKey.secret,
    });
    await expect(socket.closed).resolves.toEqual({ code: 4403, reason: 'Forbidden' });
    expect(socket.messages).toEqual([]);
  });
});

describe('notificationAdded served from the published message', () => {
  it('delivers a selection reaching into three subgraphs with their data, and the own-field selection equal to the stored notification', async () => {
    const minimal = subscribeAlice(MINIMAL);
    const cross = subscribeAlice(CROSS_SUBGRAPH);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // both channels subscribed

    const updated = await graphql(
      platform.gatewayUrl,
      'mutation ($id: ID!) { updateDocument(id: $id, expectedVersion: 1, patch: { title: "Plan B" }) { version } }',
      { id: documentId },
      bob,
    );
    expect(updated.errors).toBeUndefined();

    const [viaCross] = await cross.waitFor(1);
    expect(viaCross).toEqual({
      id: expect.any(String),
      message: 'Document "Plan B" was updated',
      actor: { name: 'bob' },
      subject: { title: 'Plan B', project: { name: 'Orbit' } },
    });
    const [viaMessage] = await minimal.waitFor(1);
    expect(viaMessage).toEqual(await stored(viaCross!.id as string));
    expect(viaMessage).toMatchObject({
      __typename: 'Notification',
      kind: 'DOCUMENT_UPDATED',
      read: false,
      actor: { __typename: 'User', id: bob.id },
      subject: { __typename: 'Document', id: documentId },
    });
    expect(minimal.errors).toEqual([]);
    await cross.close();
  });

  it("makes its recipient's cached unread count stale as the notification arrives, before the frame", async () => {
    const minimal = subscribeAlice(MINIMAL);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const unreadCount = async () => {
      const answer = await graphql<{ me: { unreadCount: number } }>(
        platform.gatewayUrl,
        '{ me { unreadCount } }',
        {},
        alice,
      );
      expect(answer.errors).toBeUndefined();
      return answer.data!.me.unreadCount;
    };
    const before = await unreadCount();
    await unreadCount(); // answered from the cache
    const invalidations = () =>
      counter(platform.gateway.metricsUrl, 'gateway_response_cache_invalidations_total', {
        source: 'notification',
      });
    const invalidationsBefore = await invalidations();

    const event = createEvent('document.updated', {
      actor: { userId: bob.id },
      subject: { type: 'document', id: documentId },
      data: {
        projectId,
        title: 'Counted',
        version: 3,
        changedFields: ['title'],
        memberIds: [alice.id, bob.id],
      },
    });
    const { topic, message } = toKafkaMessage(event);
    await producer.send({ topic, messages: [message] });
    await minimal.waitFor(1);

    // Read the moment the frame is here: the event's own invalidation (the gateway's Kafka
    // consumer) may not have run yet; the notification's did, before the frame was sent.
    expect(await unreadCount()).toBe(before + 1);
    expect(await invalidations()).toBeGreaterThan(invalidationsBefore);
    await minimal.close();
  });

  it('delivers the own-field selection with the user and data subgraphs stopped, running no query', async () => {
    const minimal = subscribeAlice(MINIMAL);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await platform.user.stop();
    await platform.data.stop();
    const queriesBefore = await resolutions();

    // An event in the project's own format, as the data subgraph's outbox would have sent it.
    const event = createEvent('document.updated', {
      actor: { userId: bob.id },
      subject: { type: 'document', id: documentId },
      data: {
        projectId,
        title: 'Offline',
        version: 3,
        changedFields: ['title'],
        memberIds: [alice.id, bob.id],
      },
    });
    const { topic, message } = toKafkaMessage(event);
    await producer.send({ topic, messages: [message] });

    const [received] = await minimal.waitFor(1);
    expect(received).toMatchObject({
      message: 'Document "Offline" was updated',
      actor: { __typename: 'User', id: bob.id },
      subject: { __typename: 'Document', id: documentId },
    });
    expect(received).toEqual(await stored(received!.id as string));
    expect(minimal.errors).toEqual([]);
    // No query ran on the subscriber's behalf: nothing asked any subgraph for it.
    expect(await resolutions()).toBe(queriesBefore);
  });
});
