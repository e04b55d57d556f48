import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, metricValue } from '@platform/testing';
import {
  graphql,
  signUp,
  startTestPlatform,
  type SignedUpUser,
  type TestPlatform,
  sharedProject,
} from './platform.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * `documentChanged(projectId)`, a field the data subgraph declares `@live` in its schema and the
 * gateway serves with no code of its own: the data subgraph publishes each change on the project's
 * Redis channel, and the gateway resolves it with the subscriber's selection across subgraphs
 * (the author's name is the user subgraph's), as the subscriber.
 */
let platform: TestPlatform;
let alice: SignedUpUser;
let bob: SignedUpUser;
let carol: SignedUpUser;
let projectId: string;
let documentId: string;
let version = 1;
const subscribers: Subscriber[] = [];

const DOCUMENT_CHANGED = `subscription ($projectId: ID!, $since: String) {
  documentChanged(projectId: $projectId, since: $since) {
    id title version changeCursor
    author { name }
    project { name }
  }
}`;

interface Change {
  id: string;
  title: string;
  version: number;
  changeCursor: string;
  author: { name: string };
  project: { name: string };
}

function subscribeAs(user: SignedUpUser, since?: string): Subscriber {
  const subscriber = subscribe(
    platform.gatewayUrl,
    user.token,
    DOCUMENT_CHANGED,
    { projectId, since },
    'documentChanged',
  );
  subscribers.push(subscriber);
  return subscriber;
}

/** Until the gateway listens on the project's channel (a live stream starts listening first). */
async function listening(channels: number): Promise<void> {
  await eventually(
    async () =>
      (await metricValue(platform.gateway.metricsUrl, 'gateway_subscription_channels')) >=
        channels || undefined,
    { timeoutMs: 10_000, what: 'the gateway listening on the project channel' },
  );
}

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

beforeAll(async () => {
  platform = await startTestPlatform();
  const url = platform.gatewayUrl;
  [alice, bob, carol] = [
    await signUp(url, 'alice'),
    await signUp(url, 'bob'),
    await signUp(url, 'carol'),
  ];
  projectId = await sharedProject(url, alice, 'Atlas', [bob]);
  const document = await graphql<{ createDocument: { id: string } }>(
    url,
    'mutation ($p: ID!) { createDocument(input: { projectId: $p, title: "Draft" }) { id } }',
    { p: projectId },
    alice,
  );
  documentId = document.data!.createDocument.id;
}, 120_000);

afterAll(async () => {
  await Promise.all(subscribers.map((subscriber) => subscriber.close()));
  await platform?.stop();
});

describe('documentChanged, a field declared @live by the data subgraph', () => {
  let lastCursor: string;

  it("delivers another member's edit with the subscriber's selection resolved across subgraphs", async () => {
    const aliceLive = subscribeAs(alice);
    await listening(1);
    await bobEdits('Draft, edited by Bob');

    const [change] = (await aliceLive.waitFor(1)) as unknown as Change[];
    expect(change).toMatchObject({
      id: documentId,
      title: 'Draft, edited by Bob',
      version: 2,
      author: { name: 'alice' },
      project: { name: 'Atlas' },
    });
    expect(change!.changeCursor).toMatch(/^\d{20}$/);
    expect(aliceLive.errors).toEqual([]);
    lastCursor = change!.changeCursor;
  });

  it('replays what changed after since, in order, then goes live', async () => {
    await bobEdits('Edit 3');
    await bobEdits('Edit 4');
    const resumed = subscribeAs(alice, lastCursor);
    const replayed = (await resumed.waitFor(1)) as unknown as Change[];
    // The replay is of state: the document once, as it is now, after the cursor.
    expect(replayed[0]).toMatchObject({ id: documentId, title: 'Edit 4', version: 4 });
    expect(replayed[0]!.changeCursor > lastCursor).toBe(true);

    await bobEdits('Edit 5');
    const both = (await resumed.waitFor(2)) as unknown as Change[];
    expect(both[1]).toMatchObject({ title: 'Edit 5', version: 5 });
    expect(resumed.errors).toEqual([]);
  });

  it('loses nothing across a gateway restart: a subscriber resuming with its last cursor elsewhere gets what it missed', async () => {
    const other = await platform.startGateway();
    const onOther = subscribe(
      other.url,
      alice.token,
      DOCUMENT_CHANGED,
      { projectId, since: lastCursor },
      'documentChanged',
    );
    subscribers.push(onOther);
    const [before] = (await onOther.waitFor(1)) as unknown as Change[];
    lastCursor = before!.changeCursor;
    await onOther.close();
    await other.stop();

    // Changed while the subscriber's gateway is gone.
    await bobEdits('While the gateway was down');
    const resumed = subscribeAs(alice, lastCursor);
    const [missed] = (await resumed.waitFor(1)) as unknown as Change[];
    expect(missed).toMatchObject({ title: 'While the gateway was down', version });
    expect(resumed.errors).toEqual([]);
  });

  it("refuses a non-member's subscribe, and sends them nothing", async () => {
    const carolLive = subscribeAs(carol);
    await eventually(() => (carolLive.errors.length > 0 ? carolLive.errors : undefined), {
      timeoutMs: 10_000,
      what: "carol's refusal",
    });
    expect(JSON.stringify(carolLive.errors)).toContain('FORBIDDEN');
    await bobEdits('Edit 6');
    // Alice's first subscription receives it; Carol's refused one never did.
    await subscribers[0]!.waitFor(6); // Bob's edits to versions 2 to 7
    expect(carolLive.received).toEqual([]);
  });

  it('refuses a since that is not a change cursor with BAD_USER_INPUT', async () => {
    const bad = subscribeAs(alice, 'yesterday');
    await eventually(() => (bad.errors.length > 0 ? bad.errors : undefined), {
      timeoutMs: 10_000,
      what: 'the refusal',
    });
    expect(JSON.stringify(bad.errors)).toContain('BAD_USER_INPUT');
  });
});
