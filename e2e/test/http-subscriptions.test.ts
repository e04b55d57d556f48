import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExecutionResult } from 'graphql';
import { issueAccessToken } from '@platform/identity';
import { notificationChannel } from '@platform/realtime';
import {
  eventually,
  redisSubscriberCount,
  startPrivateKafka,
  type PrivateService,
} from '@platform/testing';
import type { RunningGateway } from '@platform/gateway';
import {
  graphql,
  sharedProject,
  signUp,
  startTestPlatform,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';
import {
  subscribeMultipart,
  subscribeSse,
  type StreamEnd,
  type StreamSubscriber,
} from './http-subscriber.js';

/**
 * Issue 16 item 5 on the real platform (a mutation -> Kafka -> notification consumer -> Redis ->
 * gateway): `notificationAdded` over SSE (graphql-sse's client) and over Apollo's multipart HTTP
 * protocol, on the same pipeline and limits as graphql-ws.
 */
let kafkaBroker: PrivateService & { brokers: string[] };
let platform: TestPlatform;
/** A gateway allowing one subscription connection per user, for the cap. */
let capped: RunningGateway;
let bob: SignedUpUser;
let alice: SignedUpUser;
let projectId: string;
const streams: StreamSubscriber[] = [];

const NOTIFICATION_ADDED = `subscription ($since: String) {
  notificationAdded(since: $since) { id cursor message subject { ... on Document { title } } }
}`;

type Notification = { id: string; cursor: string; subject: { title?: string } | null };

beforeAll(async () => {
  // A broker of its own: a new consumer group on the shared one first reads its whole history.
  kafkaBroker = await startPrivateKafka();
  platform = await startTestPlatform({
    events: { brokers: kafkaBroker.brokers },
    // Heartbeats every second; a revoked key's stream ends within a few seconds.
    gatewayEnv: {
      SUBSCRIPTION_HEARTBEAT_SECONDS: '1',
      SUBSCRIPTION_REAUTH_SECONDS: '1',
      API_KEY_CACHE_SECONDS: '1',
    },
  });
  await platform.events!.startNotificationConsumer();
  capped = await platform.startGateway({ SOCKETS_PER_USER: '1' });
  bob = await signUp(platform.gatewayUrl, 'bob');
  alice = await signUp(platform.gatewayUrl, 'alice');
  projectId = await sharedProject(platform.gatewayUrl, bob, 'Shared', [alice]);
}, 120_000);

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.abort();
  if (!capped || !alice) return; // beforeAll failed: nothing was opened
  await idle(platform.gateway);
  await idle(capped);
  await eventually(
    async () =>
      (await redisSubscriberCount(notificationChannel(alice.id))) === 0 ? true : undefined,
    { what: "Alice's channel unsubscribed in Redis" },
  );
});

afterAll(async () => {
  await platform?.stop();
  await kafkaBroker?.dispose();
}, 60_000);

const bearer = (user: SignedUpUser) => ({ authorization: `Bearer ${user.token}` });

type Transport = 'sse' | 'multipart';
function open(
  transport: Transport,
  headers: Record<string, string>,
  variables: Record<string, unknown> = {},
  gateway: RunningGateway = platform.gateway,
): StreamSubscriber {
  const request = { query: NOTIFICATION_ADDED, variables };
  const stream =
    transport === 'sse'
      ? subscribeSse(gateway.url, headers, request)
      : subscribeMultipart(gateway.url, headers, request);
  streams.push(stream);
  return stream;
}

async function idle(gateway: RunningGateway): Promise<void> {
  await eventually(() => (gateway.subscriptions.activeCount() === 0 ? true : undefined), {
    what: 'no active subscriptions',
  });
}

/**
 * Waits until `gateway` serves `count` subscriptions and Redis has Alice's channel subscribed,
 * so what the test causes next is not published before the gateway listens.
 */
async function activeOn(gateway: RunningGateway, count: number): Promise<void> {
  await eventually(() => (gateway.subscriptions.activeCount() >= count ? true : undefined), {
    what: `${count} active subscriptions`,
  });
  await eventually(
    async () =>
      (await redisSubscriberCount(notificationChannel(alice.id))) > 0 ? true : undefined,
    { what: "Alice's channel subscribed in Redis" },
  );
}

/** Bob creates a document in the shared project: one notification for Alice. */
async function bobCreatesDocument(title: string): Promise<void> {
  const result = await graphql(
    platform.gatewayUrl,
    'mutation ($p: ID!, $t: String!) { createDocument(input: { projectId: $p, title: $t }) { id } }',
    { p: projectId, t: title },
    bob,
  );
  expect(result.errors).toBeUndefined();
}

const about = (title: string) => (result: ExecutionResult) =>
  (result.data?.notificationAdded as Notification | undefined)?.subject?.title === title;

describe.each<Transport>(['sse', 'multipart'])('notificationAdded over %s', (transport) => {
  it('delivers the notification of a real mutation with its cursor, and resumes with `since`', async () => {
    const live = open(transport, bearer(alice));
    await activeOn(platform.gateway, 1);
    await bobCreatesDocument(`${transport} first`);
    // The first notification after start-up may wait for the consumer to join its group.
    const first = (
      await live.waitFor(about(`${transport} first`), 'the first notification', 90_000)
    ).data!.notificationAdded as Notification;
    expect(first.cursor).toEqual(expect.any(String));
    expect(live.results.every((result) => result.errors === undefined)).toBe(true);

    // The client goes away; a notification is stored meanwhile; resuming from the last cursor
    // replays it (and not the first one again).
    live.abort();
    await idle(platform.gateway);
    await bobCreatesDocument(`${transport} missed`);
    await eventually(
      async () => {
        const stored = await graphql<{ notificationsSince: Notification[] }>(
          platform.gatewayUrl,
          'query ($s: String) { notificationsSince(since: $s) { id cursor subject { ... on Document { title } } } }',
          { s: first.cursor },
          alice,
        );
        const nodes = stored.data?.notificationsSince ?? [];
        return nodes.some((node) => node.subject?.title === `${transport} missed`)
          ? true
          : undefined;
      },
      // Kafka is shared with every suite running on this machine: bounds are generous.
      { what: 'the missed notification stored', timeoutMs: 90_000 },
    );
    const resumed = open(transport, bearer(alice), { since: first.cursor });
    await resumed.waitFor(about(`${transport} missed`), 'the missed notification replayed', 60_000);
    expect(resumed.results.some(about(`${transport} first`))).toBe(false);
  }, 240_000);

  it('refuses a missing or invalid credential 401 UNAUTHENTICATED before streaming', async () => {
    const credentials: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-a-token' },
    ];
    for (const headers of credentials) {
      const end = await open(transport, headers).ended;
      expect(end).toMatchObject({
        status: 401,
        errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    expect(platform.gateway.subscriptions.activeCount()).toBe(0);
  });

  it('refuses a connection over SOCKETS_PER_USER 429, and frees the place when the client aborts', async () => {
    const first = open(transport, bearer(alice), {}, capped);
    await activeOn(capped, 1);
    for (const other of ['sse', 'multipart'] as const) {
      const end = await open(other, bearer(alice), {}, capped).ended;
      expect(end).toMatchObject({
        status: 429,
        errors: [{ extensions: { code: 'SUBSCRIPTION_LIMIT_EXCEEDED' } }],
      });
    }
    first.abort();
    await idle(capped);
    const next = open(transport, bearer(alice), {}, capped);
    await activeOn(capped, 1);
    expect(await Promise.race([next.ended, 'open'])).toBe('open');
  });

  it('ends the stream with UNAUTHENTICATED when the access token expires', async () => {
    const { token } = await issueAccessToken(
      { userId: alice.id, role: 'USER' },
      platform.secrets.JWT_SECRET,
      8,
    );
    const stream = open(transport, { authorization: `Bearer ${token}` });
    const end = await stream.ended;
    // The stream had started (200), then ended: SSE with the errors as a last `next` before
    // `complete`, multipart with its transport error.
    expect(end.status).toBe(200);
    const errors = transport === 'sse' ? stream.results.at(-1)?.errors : end.errors;
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    await idle(platform.gateway);
  }, 60_000);

  it('authenticates by the x-api-key header, and ends the stream when the key is revoked', async () => {
    const created = await graphql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      platform.gatewayUrl,
      `mutation { createApiKey(name: "${transport} feed", scopes: [READ]) { apiKey { id } secret } }`,
      {},
      alice,
    );
    expect(created.errors).toBeUndefined();
    const { apiKey, secret } = created.data!.createApiKey;
    const stream = open(transport, { 'x-api-key': secret });
    await activeOn(platform.gateway, 1);
    await bobCreatesDocument(`${transport} for the key`);
    await stream.waitFor(about(`${transport} for the key`), 'the notification for the key', 90_000);

    const revoked = await graphql(
      platform.gatewayUrl,
      'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }',
      { id: apiKey.id },
      alice,
    );
    expect(revoked.errors).toBeUndefined();
    // SUBSCRIPTION_REAUTH_SECONDS + API_KEY_CACHE_SECONDS is 2 s here; generous for a slow machine.
    const end = await Promise.race([
      stream.ended,
      new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 15_000)),
    ]);
    expect(end).not.toBe('still open');
    const errors = transport === 'sse' ? stream.results.at(-1)?.errors : (end as StreamEnd).errors;
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    await idle(platform.gateway);
  }, 150_000);
});

describe('subscriptions over HTTP without a streaming Accept', () => {
  it('answers a plain POST 400 SUBSCRIPTION_OVER_HTTP naming the three transports', async () => {
    const result = await graphql(platform.gatewayUrl, NOTIFICATION_ADDED, {}, alice);
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      {
        message: expect.stringMatching(
          /graphql-transport-ws.*text\/event-stream.*graphql-sse.*multipart\/mixed;subscriptionSpec=1\.0/,
        ),
        extensions: { code: 'SUBSCRIPTION_OVER_HTTP' },
      },
    ]);
  });

  it('sends multipart heartbeats (`{}` parts) every SUBSCRIPTION_HEARTBEAT_SECONDS', async () => {
    const stream = open('multipart', bearer(alice));
    await eventually(() => (stream.heartbeats >= 2 ? true : undefined), {
      what: 'two heartbeats',
      timeoutMs: 15_000,
    });
  });

  it('answers a query sent with a streaming Accept as Apollo does (JSON)', async () => {
    const stream = subscribeMultipart(platform.gatewayUrl, bearer(alice), {
      query: '{ me { id } }',
    });
    streams.push(stream);
    const end = await stream.ended;
    expect(end).toEqual({ status: 200, errors: undefined });
  });
});
