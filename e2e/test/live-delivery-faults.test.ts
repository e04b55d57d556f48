import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@platform/gateway';
import { createLogger } from '@platform/logger';
import { eventually, metricValue, startPrivateKafka, type PrivateService } from '@platform/testing';
import { FaultProxy } from './fault-proxy.js';
import {
  createDocument,
  graphql,
  sharedProject,
  type SignedUpUser,
  signUp,
  startTestPlatform,
  type TestPlatform,
} from './platform.js';

/**
 * Issue 16 item 1, "never skip": a subgraph the subscriber's selection needs (the user subgraph,
 * for `actor { name }`) stops, comes back or slows down while notifications keep coming. The
 * whole platform is real (Kafka -> notification consumer -> Redis -> gateway); the faults are a
 * TCP proxy between the gateway under test and the real user subgraph.
 */
/** A broker of this test's own: the shared one's load must not decide how long an event takes. */
let kafka: PrivateService & { brokers: string[] };
let platform: TestPlatform;
let proxy: FaultProxy;
/** Retries long enough to outlast a short outage and the breaker it opens. */
let patient: RunningGateway;
/** Gives up after two quick attempts: an outage longer than that ends the stream. */
let impatient: RunningGateway;
let alice: SignedUpUser;
let bob: SignedUpUser;
let documentId: string;
/** Notifications stored for Alice so far. */
let stored = 0;
let version = 1;
/** The cursor of the last notification Alice received, from the frame's extensions. */
let lastCursor: string;
const clients: Client[] = [];

const NOTIFICATION_ADDED = `subscription ($since: String) {
  notificationAdded(since: $since) {
    id message
    actor { name }
    subject { ... on Document { title } }
  }
}`;

interface Frame {
  data?: { notificationAdded: { message: string; actor: { name: string } | null } } | null;
  errors?: unknown[];
  extensions?: { cursor?: string };
}

/** Alice's subscription on `gateway`: every frame as it arrives, and how the stream ended. */
function subscribeAlice(gateway: RunningGateway, since: string) {
  const client = createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${alice.token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const frames: Frame[] = [];
  const ended: { error?: unknown; complete?: true } = {};
  client.subscribe(
    { query: NOTIFICATION_ADDED, variables: { since } },
    {
      next: (frame) => void frames.push(frame as Frame),
      error: (error) => (ended.error = error),
      complete: () => (ended.complete = true),
    },
  );
  const titles = () => frames.map((frame) => titleOf(frame.data?.notificationAdded.message));
  return {
    frames,
    ended,
    titles,
    /** Until `count` frames arrived (the stream must not end first). */
    waitFor: (count: number, timeoutMs = 60_000) =>
      eventually(
        () => {
          if (frames.length >= count) return frames;
          if (ended.error || ended.complete) {
            throw new Error(`the stream ended: ${JSON.stringify(ended)} after ${titles()}`);
          }
          return undefined;
        },
        { timeoutMs, what: `${count} notification frames` },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; received ${JSON.stringify(frames)}`);
      }),
    close: () => client.dispose(),
  };
}

/** The title a notification was about, from its message (the subject shows the current one). */
const titleOf = (message: string | undefined) => (message ? /"(.*)"/.exec(message)?.[1] : message);

async function bobEdits(title: string): Promise<void> {
  const result = await graphql<{ updateDocument: { version: number } }>(
    platform.gatewayUrl,
    'mutation ($id: ID!, $version: Int!, $title: String!) { updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { version } }',
    { id: documentId, version, title },
    bob,
  );
  expect(result.errors).toBeUndefined();
  version = result.data!.updateDocument.version;
}

/** Until Alice has `count` notifications stored (read through the platform's own gateway). */
async function storedForAlice(count: number, timeoutMs = 60_000): Promise<void> {
  await eventually(
    async () => {
      const result = await graphql<{ me: { notifications: { edges: unknown[] } } }>(
        platform.gatewayUrl,
        '{ me { notifications(first: 100) { edges { cursor } } } }',
        {},
        alice,
      );
      return (result.data?.me.notifications.edges.length ?? 0) >= count || undefined;
    },
    { timeoutMs, what: `${count} notifications stored for Alice` },
  );
}

async function bobEditsAndItIsStored(...titles: string[]): Promise<void> {
  for (const title of titles) await bobEdits(title);
  stored += titles.length;
  await storedForAlice(stored);
}

const retries = (gateway: RunningGateway) =>
  metricValue(gateway.metricsUrl, 'gateway_subscription_delivery_retries_total');

/** Every frame complete: no errors, the actor resolved, the cursor in `extensions`. */
function expectComplete(frames: Frame[]): void {
  for (const frame of frames) {
    expect(frame.errors).toBeUndefined();
    expect(frame.data?.notificationAdded.actor).toEqual({ name: 'bob' });
    expect(frame.extensions?.cursor).toMatch(/^\d{20}$/);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  kafka = await startPrivateKafka();
  platform = await startTestPlatform({
    events: { brokers: kafka.brokers },
    // The platform's own gateway only signs up and edits: generous on a loaded machine.
    gatewayEnv: { SUBGRAPH_TIMEOUT_MS: '10000' },
  });
  await platform.events!.startNotificationConsumer();
  proxy = new FaultProxy(new URL(platform.user.url));
  await proxy.start();
  const gatewayThroughProxy = (env: Record<string, string>) =>
    startGateway(
      {
        ...loadGatewayConfig({
          ...platform.secrets,
          ...env,
        }),
        PORT: 0,
      },
      createLogger('gateway', { level: process.env.LOG_TESTS ? 'debug' : 'silent' }),
      {
        subgraphUrls: {
          user: proxy.url,
          data: platform.data.url,
          analytics: platform.events!.analytics.url,
          notification: platform.events!.notification.url,
        },
        consumeCacheEvents: false,
      },
    );
  patient = await gatewayThroughProxy({
    // Shorter than the slowed subgraph's answers (test c); a healthy answer later than this on a
    // loaded machine is only retried.
    SUBGRAPH_TIMEOUT_MS: '1500',
    SUBSCRIPTION_RETRY_ATTEMPTS: '100',
    SUBSCRIPTION_RETRY_BASE_MS: '100',
    SUBSCRIPTION_RETRY_MAX_MS: '1000',
  });
  impatient = await gatewayThroughProxy({
    // Only a stopped subgraph (refused at once) should end its streams, not a slow machine.
    SUBGRAPH_TIMEOUT_MS: '10000',
    SUBSCRIPTION_RETRY_ATTEMPTS: '2',
    SUBSCRIPTION_RETRY_BASE_MS: '50',
    SUBSCRIPTION_RETRY_MAX_MS: '50',
  });

  [alice, bob] = [
    await signUp(platform.gatewayUrl, 'alice'),
    await signUp(platform.gatewayUrl, 'bob'),
  ];
  const projectId = await sharedProject(platform.gatewayUrl, alice, 'Orbit', [bob]);
  documentId = await createDocument(platform.gatewayUrl, alice, projectId);
  // The first event waits for the consumer to join its group: the tests
  // start from its notification, so their own waits are about the faults only.
  await bobEdits('warm-up');
  stored += 1;
  await storedForAlice(stored, 150_000);
  const cursors = await graphql<{ me: { notifications: { edges: Array<{ cursor: string }> } } }>(
    platform.gatewayUrl,
    '{ me { notifications(first: 100) { edges { cursor } } } }',
    {},
    alice,
  );
  lastCursor = cursors
    .data!.me.notifications.edges.map((edge) => edge.cursor)
    .sort()
    .at(-1)!;
}, 240_000);

afterEach(async () => {
  // A failed test leaves no fault behind for the next one.
  proxy.delayMs = 0;
  await proxy.start();
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await patient?.stop();
  await impatient?.stop();
  await proxy?.stop();
  await platform?.stop();
  await kafka?.dispose();
}, 60_000);

describe('a subgraph the selection needs fails mid-stream', () => {
  it('(a) stopped and back within the retry budget: every notification arrives complete, in order', async () => {
    const live = subscribeAlice(patient, lastCursor);
    await bobEditsAndItIsStored('A1');
    await live.waitFor(1);
    const retriesBefore = await retries(patient);

    await proxy.stop();
    await bobEdits('A2');
    await bobEdits('A3');
    await bobEdits('A4');
    // The stream is retrying A2 (A3 and A4 wait behind it) while the user subgraph is away.
    await eventually(async () => ((await retries(patient)) > retriesBefore ? true : undefined), {
      timeoutMs: 60_000,
      what: 'a delivery retried',
    });
    await sleep(1000);
    expect(live.titles()).toEqual(['A1']);
    await proxy.start();
    stored += 3;
    await bobEditsAndItIsStored('A5');

    const frames = await live.waitFor(5);
    expect(live.titles()).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expectComplete(frames);
    lastCursor = frames.at(-1)!.extensions!.cursor!;
    await live.close();
  }, 180_000);

  it('(b) stopped longer than the budget: the stream ends retryable, and a resume from the last cursor gets every missed one', async () => {
    const live = subscribeAlice(impatient, lastCursor);
    await bobEditsAndItIsStored('B1');
    await live.waitFor(1);
    const cursorOfB1 = live.frames[0]!.extensions!.cursor!;

    await proxy.stop();
    await bobEditsAndItIsStored('B2', 'B3');
    const error = await eventually(() => live.ended.error as unknown[] | undefined, {
      timeoutMs: 60_000,
      what: `the stream to end (it sent ${JSON.stringify(live.frames)})`,
    });
    expect(error).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/since set to the last cursor you received/),
        extensions: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryable: true }),
      }),
    ]);
    // Nothing was sent in place of B2: no partial frame, no frame with errors.
    expect(live.titles()).toEqual(['B1']);
    expectComplete(live.frames);

    await proxy.start();
    // As a client resuming with backoff would, once the gateway reaches the user subgraph again
    // (its breaker for it opened during the outage).
    await eventually(
      async () => {
        const me = await graphql<{ me: { name: string } }>(
          impatient.url,
          '{ me { name } }',
          {},
          alice,
        );
        return me.data?.me.name === 'alice' || undefined;
      },
      { timeoutMs: 30_000, what: 'the user subgraph reachable again' },
    );
    const resumed = subscribeAlice(impatient, cursorOfB1);
    await resumed.waitFor(2);
    await bobEditsAndItIsStored('B4');
    const frames = await resumed.waitFor(3);
    expect(resumed.titles()).toEqual(['B2', 'B3', 'B4']);
    expectComplete(frames);
    lastCursor = frames.at(-1)!.extensions!.cursor!;
    await resumed.close();
  }, 180_000);

  it('(c) slowed past SUBGRAPH_TIMEOUT_MS for a while: nothing is lost, nothing arrives out of order', async () => {
    const live = subscribeAlice(patient, lastCursor);
    await bobEditsAndItIsStored('C1');
    await live.waitFor(1);
    const retriesBefore = await retries(patient);

    proxy.delayMs = 4000;
    await bobEditsAndItIsStored('C2', 'C3', 'C4');
    await eventually(async () => ((await retries(patient)) > retriesBefore ? true : undefined), {
      what: 'a delivery retried after a timeout',
    });
    proxy.delayMs = 0;
    await bobEditsAndItIsStored('C5');

    const frames = await live.waitFor(5);
    expect(live.titles()).toEqual(['C1', 'C2', 'C3', 'C4', 'C5']);
    expectComplete(frames);
    await sleep(1000);
    expect(live.frames).toHaveLength(5);
    await live.close();
  }, 180_000);
});
