import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@platform/gateway';
import { createLogger } from '@platform/logger';
import { eventually, metricValue, uniqueName } from '@platform/testing';
import { FaultProxy } from '../../e2e/test/fault-proxy.js';
import { liveSubscription, type Client, type Notification } from '../src/index.js';
import {
  startDroppingProxy,
  startSdkPlatform,
  type DroppingProxy,
  type SdkPlatform,
} from './platform.js';

/**
 * The SDK's live loop against the gateway's "never skip" delivery (issue 16 item 1): it resumes
 * from the cursor each frame carries in `extensions.cursor`, whatever the selection, and a stream
 * the gateway ends with a retryable error is resumed, not given up.
 */
let sdk: SdkPlatform;
let droppingProxy: DroppingProxy;
/** Between a gateway of this test and the real user subgraph: the test stops it. */
let userSubgraph: FaultProxy;
/** Gives up on a notification after two quick attempts: a stopped user subgraph ends streams. */
let impatient: RunningGateway;
let aliceToken: string;
let alice: Client;
let bob: Client;
let documentId: string;
let version = 1;

async function signedUp(name: string) {
  const email = `${uniqueName(name)}@example.com`;
  return sdk.client().users.signUp({ email, name, password: 'correct horse battery' });
}

async function bobEdits(title: string) {
  const updated = await bob.data.updateDocument({
    id: documentId,
    expectedVersion: version,
    patch: { title },
  });
  version = updated.version;
}

async function storedForAlice(count: number) {
  return eventually(
    async () => {
      const stored = await alice.notifications.since({ first: 100 });
      return stored.length >= count ? stored : undefined;
    },
    { timeoutMs: 60_000, what: `${count} notifications stored` },
  );
}

/** Reads `count` items (or fails with what it had, or the error the iteration ended with). */
async function read<Item>(stream: AsyncIterable<Item>, count: number, into: Item[] = []) {
  const reading = (async () => {
    for await (const item of stream) {
      into.push(item);
      if (into.length === count) return into;
    }
    throw new Error(`the stream ended after ${into.length} of ${count}`);
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      reading,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`only ${into.length} of ${count} arrived`)),
          90_000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  sdk = await startSdkPlatform();
  droppingProxy = await startDroppingProxy(sdk.url);
  const { platform } = sdk;
  userSubgraph = new FaultProxy(new URL(platform.user.url));
  await userSubgraph.start();
  impatient = await startGateway(
    {
      ...loadGatewayConfig({
        ...platform.secrets,
        // Only the stopped subgraph (refused at once) should end streams, not a slow machine.
        SUBGRAPH_TIMEOUT_MS: '10000',
        SUBSCRIPTION_RETRY_ATTEMPTS: '2',
        SUBSCRIPTION_RETRY_BASE_MS: '50',
        SUBSCRIPTION_RETRY_MAX_MS: '50',
      }),
      PORT: 0,
    },
    createLogger('gateway', { level: 'silent' }),
    {
      subgraphUrls: {
        user: userSubgraph.url,
        data: platform.data.url,
        analytics: platform.events!.analytics.url,
        notification: platform.events!.notification.url,
      },
      consumeCacheEvents: false,
    },
  );

  const a = await signedUp('alice');
  const b = await signedUp('bob');
  aliceToken = a.token;
  alice = sdk.client({ token: a.token });
  bob = sdk.client({ token: b.token });
  const project = await alice.data.createProject({ name: uniqueName('resume') });
  await alice.data.addProjectMember({ projectId: project.id, userId: b.user.id });
  documentId = (await alice.data.createDocument({ projectId: project.id, title: 'Plan' })).id;
}, 180_000);

afterAll(async () => {
  await impatient?.stop();
  await userSubgraph?.stop();
  await droppingProxy?.close();
  await sdk?.stop();
}, 60_000);

describe('liveSubscription resuming', () => {
  it('resumes from the cursor in each frame when the selection has no cursor field: every item once, in order, across drops', async () => {
    const client = sdk.client(
      { token: aliceToken, wsUrl: droppingProxy.url.replace(/^http/, 'ws') },
      droppingProxy.url,
    );
    const live = liveSubscription<{ message: string }>(
      client,
      {
        query: 'subscription ($since: String) { notificationAdded(since: $since) { message } }',
        field: 'notificationAdded',
        variables: (since) => ({ since: since ?? null }),
      },
      { since: '0', baseDelayMs: 20, maxDelayMs: 200 },
    );
    const received: Array<{ message: string }> = [];
    const reading = read(live, 12, received);
    for (let n = 1; n <= 12; n++) {
      await bobEdits(`drop ${n}`);
      if (n % 4 === 0) {
        await eventually(() => (live.state === 'live' && received.length > 0 ? true : undefined));
        droppingProxy.dropAll();
      }
    }
    await reading;
    await live.close();

    expect(received.map((item) => item.message)).toEqual(
      Array.from({ length: 12 }, (_, i) => expect.stringContaining(`"drop ${i + 1}"`)),
    );
    const stored = await storedForAlice(12);
    expect(live.lastCursor).toBe(stored.at(-1)!.cursor);
  }, 180_000);

  it('resumes a stream the gateway ended retryable (the user subgraph stopped) and yields every notification complete, in order', async () => {
    const before = await storedForAlice(12);
    const client = sdk.client({ token: aliceToken }, impatient.url);
    const live = client.notifications.live({
      since: before.at(-1)!.cursor,
      baseDelayMs: 100,
      maxDelayMs: 500,
    });
    const received: Notification[] = [];
    const reading = read(live, 3, received);
    await bobEdits('outage 1');
    await eventually(() => (received.length === 1 ? true : undefined), { timeoutMs: 60_000 });

    await userSubgraph.stop();
    await bobEdits('outage 2');
    await bobEdits('outage 3');
    // The gateway gave up on "outage 2" and ended the stream; the SDK keeps resuming meanwhile.
    await eventually(
      async () =>
        (await metricValue(impatient.metricsUrl, 'gateway_subscription_delivery_given_up_total')) >
          0 || undefined,
      { timeoutMs: 60_000, what: 'the gateway ending the stream retryable' },
    );
    expect(received).toHaveLength(1);
    await userSubgraph.start();

    await reading;
    await live.close();
    expect(received.map((notification) => notification.message)).toEqual([
      expect.stringContaining('"outage 1"'),
      expect.stringContaining('"outage 2"'),
      expect.stringContaining('"outage 3"'),
    ]);
    expect(received.map((notification) => notification.actor?.name)).toEqual(['bob', 'bob', 'bob']);
    expect(live.lastCursor).toBe(received.at(-1)!.cursor);
  }, 180_000);
});
