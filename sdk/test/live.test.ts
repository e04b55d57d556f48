import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueAccessToken } from '@platform/identity';
import { eventually, uniqueName } from '@platform/testing';
import {
  ForbiddenError,
  UnauthenticatedError,
  type Client,
  type ConnectionState,
  type DocumentChange,
  type Notification,
} from '../src/index.js';
import {
  startDroppingProxy,
  startSdkPlatform,
  type DroppingProxy,
  type SdkPlatform,
} from './platform.js';

let sdk: SdkPlatform;
let proxy: DroppingProxy;
let alice: Client;
let aliceToken: string;
let bob: Client;
let projectId: string;
let documentId: string;
let projectIdOf: string;
let version = 1;

async function signedUp(name: string) {
  const email = `${uniqueName(name)}@example.com`;
  return sdk.client().users.signUp({ email, name, password: 'correct horse battery' });
}

beforeAll(async () => {
  sdk = await startSdkPlatform();
  proxy = await startDroppingProxy(sdk.url);
  const a = await signedUp('alice');
  const b = await signedUp('bob');
  aliceToken = a.token;
  alice = sdk.client({ token: a.token });
  bob = sdk.client({ token: b.token });
  const project = await alice.data.createProject({ name: uniqueName('live') });
  projectId = project.id;
  await alice.data.addProjectMember({ projectId: project.id, userId: b.user.id });
  projectIdOf = project.id;
  documentId = (await alice.data.createDocument({ projectId: project.id, title: 'Live' })).id;
}, 180_000);

afterAll(async () => {
  await proxy?.close();
  await sdk?.stop();
}, 60_000);

/** Bob edits the shared document once: one DOCUMENT_UPDATED notification for Alice. */
async function bobEdits(n: number) {
  const updated = await bob.data.updateDocument({
    id: documentId,
    expectedVersion: version,
    patch: { title: `edit ${n}` },
  });
  version = updated.version;
}

describe('notifications.live', () => {
  it('delivers all 50 notifications exactly once and in cursor order while the socket is dropped three times', async () => {
    const states: ConnectionState[] = [];
    // Through the proxy, so the test can cut the client's connections.
    const client = sdk.client(
      { token: aliceToken, wsUrl: proxy.url.replace(/^http/, 'ws') },
      proxy.url,
    );
    const live = client.notifications.live({
      since: '0',
      baseDelayMs: 20,
      maxDelayMs: 200,
      onStateChange: (state) => states.push(state),
    });
    const received: Notification[] = [];
    const reading = (async () => {
      for await (const notification of live) {
        received.push(notification);
        if (received.length === 50) break;
      }
    })();

    let drops = 0;
    for (let n = 1; n <= 50; n++) {
      await bobEdits(n);
      if (n % 12 === 0) {
        // Cut only once the socket is up and has delivered something since the last cut, so
        // every cut interrupts a live subscription.
        await eventually(() => (live.state === 'live' && received.length > 0 ? true : undefined));
        if (proxy.dropAll() > 0) drops += 1;
      }
    }
    await Promise.race([
      reading,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`only ${received.length} of 50 arrived`)), 60_000),
      ),
    ]);

    expect(drops).toBeGreaterThanOrEqual(3);
    expect(states.filter((state) => state === 'retrying').length).toBeGreaterThanOrEqual(3);
    expect(proxy.connections).toBeGreaterThanOrEqual(4);
    const cursors = received.map((notification) => notification.cursor);
    expect(new Set(cursors).size).toBe(50);
    const stored = await alice.notifications.since({ first: 100 });
    expect(stored.map((notification) => notification.cursor)).toEqual(cursors);
    expect(received.every((notification) => notification.kind === 'DOCUMENT_UPDATED')).toBe(true);
    expect(received.map((notification) => notification.message)).toEqual(
      Array.from({ length: 50 }, (_, i) => expect.stringContaining(`edit ${i + 1}`)),
    );
    expect(states.at(-1)).toBe('closed');
  }, 120_000);

  it('resumes after the given cursor: a new live() with since gets only later notifications', async () => {
    const stored = await alice.notifications.since({ first: 100 });
    const last = stored.at(-1)!;
    const live = alice.notifications.live({ since: last.cursor });
    await bobEdits(51);
    const next = await live.next();
    expect(next.value?.message).toContain('edit 51');
    expect(live.lastCursor).toBe(next.value?.cursor);
    await live.close();
  }, 60_000);

  it('renews a session whose access token expires while live, and resumes where it was', async () => {
    const email = `${uniqueName('expiring')}@example.com`;
    const password = 'correct horse battery';
    const carol = await sdk.client().users.signUp({ email, name: 'carol', password });
    await alice.data.addProjectMember({ projectId: projectIdOf, userId: carol.user.id });
    // An access token that expires in 5 s: the gateway closes the socket 4401 then.
    const { token } = await issueAccessToken(
      { userId: carol.user.id, role: 'USER' },
      sdk.platform.secrets.JWT_SECRET,
      5,
    );
    const client = sdk.client({ session: { token, refreshToken: carol.refreshToken } });
    const live = client.notifications.live();
    await eventually(async () => (live.state === 'live' ? true : undefined));
    await bobEdits(100);
    expect((await live.next()).value?.message).toContain('edit 100');
    await eventually(async () => (client.session?.token !== token ? true : undefined), {
      timeoutMs: 15_000,
    });
    await bobEdits(101);
    expect((await live.next()).value?.message).toContain('edit 101');
    expect(live.state).toBe('live');
    await live.close();
  }, 60_000);

  it('ends with UnauthenticatedError when the socket is refused 4401', async () => {
    const live = sdk.client({ token: 'not-a-jwt' }).notifications.live();
    await expect(live.next()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(live.state).toBe('closed');
  });
});

describe('data.documentChanged', () => {
  it("delivers a member's edits live in version order, and after a dropped socket resumes from the last change cursor", async () => {
    const created = await bob.data.createDocument({ projectId, title: 'Shared 0' });
    let at = created.version;
    const client = sdk.client(
      { token: aliceToken, wsUrl: proxy.url.replace(/^http/, 'ws') },
      proxy.url,
    );
    // since '0': from the project's first change, so nothing is missed while the subscribe starts.
    const live = client.data.documentChanged(projectId, {
      since: '0',
      baseDelayMs: 20,
      maxDelayMs: 200,
    });
    const received: DocumentChange[] = [];
    const reading = (async () => {
      for await (const document of live) {
        if (document.id !== created.id) continue;
        received.push(document);
        if (document.title === 'Shared 10') break;
      }
    })();
    await eventually(() => (live.state === 'live' ? true : undefined));
    const connectionsBefore = proxy.connections;
    for (let n = 1; n <= 10; n++) {
      at = (
        await bob.data.updateDocument({
          id: created.id,
          expectedVersion: at,
          patch: { title: `Shared ${n}` },
        })
      ).version;
      if (n === 5) {
        await eventually(() => (received.length > 0 ? true : undefined));
        proxy.dropAll();
      }
    }
    await Promise.race([
      reading,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`only ${received.length} changes arrived`)), 60_000),
      ),
    ]);

    expect(proxy.connections).toBeGreaterThan(connectionsBefore);
    const versions = received.map((document) => document.version);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    expect(received.at(-1)).toMatchObject({ title: 'Shared 10', version: at });
    expect(received[0]!.author.id).toBe(created.author.id);
    await live.close();
  }, 120_000);

  it('ends with ForbiddenError for a project the caller is not a member of', async () => {
    const carol = await signedUp('carol');
    const live = sdk.client({ token: carol.token }).data.documentChanged(projectId);
    await expect(live.next()).rejects.toBeInstanceOf(ForbiddenError);
    expect(live.state).toBe('closed');
  });
});
