import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueAccessToken } from '@platform/identity';
import { eventually, uniqueName } from '@platform/testing';
import type { Client, PlatformError } from '../src/index.js';
import {
  CostLimitExceededError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  SubgraphUnavailableError,
  TimeoutError,
  UnauthenticatedError,
  ValidationError,
  VersionConflictError,
  type Session,
  type TypedDocument,
} from '../src/index.js';
import { startSdkPlatform, type SdkPlatform } from './platform.js';

let sdk: SdkPlatform;
let alice: Client;
let bob: Client;
let aliceId: string;
let aliceToken: string;
let bobId: string;
const password = 'correct horse battery';

const MeId = 'query MeId { me { id } }' as unknown as TypedDocument<
  { me: { id: string } | null },
  Record<string, never>
>;

/** A fetch that records every request body it sends to the real gateway. */
function recordingFetch() {
  const bodies: Array<Record<string, unknown>> = [];
  const fetchImpl: typeof fetch = (input, init) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return fetch(input, init);
  };
  return { bodies, fetchImpl };
}

async function signedUp(name: string) {
  const anonymous = sdk.client();
  const email = `${uniqueName(name)}@example.com`;
  const payload = await anonymous.users.signUp({ email, name, password });
  return { email, payload, client: sdk.client({ token: payload.token }) };
}

beforeAll(async () => {
  sdk = await startSdkPlatform();
  const a = await signedUp('alice');
  const b = await signedUp('bob');
  alice = a.client;
  bob = b.client;
  aliceId = a.payload.user.id;
  aliceToken = a.payload.token;
  bobId = b.payload.user.id;
}, 180_000);

afterAll(async () => {
  await sdk?.stop();
}, 60_000);

describe('client.users', () => {
  it('signs up, logs in and reads the caller and a user by id', async () => {
    const { email, payload } = await signedUp('carol');
    expect(payload.user.email).toBe(email);
    const session = await sdk.client().users.login({ email, password });
    expect(session.user.id).toBe(payload.user.id);
    const carol = sdk.client({ getToken: async () => session.token });
    expect((await carol.users.me())?.id).toBe(payload.user.id);
    expect((await carol.users.user(aliceId))?.id).toBe(aliceId);
  });

  it('creates an organization, adds a member and pages through its members', async () => {
    const organization = await alice.users.createOrganization(uniqueName('org'));
    expect((await alice.users.organization(organization.id))?.name).toBe(organization.name);
    const membership = await alice.users.addOrganizationMember({
      organizationId: organization.id,
      userId: bobId,
      role: 'MEMBER',
    });
    expect(membership.role).toBe('MEMBER');
    const page = await alice.users.organizationMembers({ id: organization.id, first: 1 });
    expect(page.edges).toHaveLength(1);
    const members = [];
    for await (const member of alice.users.organizationMembers.iterate({
      id: organization.id,
      first: 1,
    }))
      members.push(member.user.id);
    expect(members.sort()).toEqual([aliceId, bobId].sort());
    expect((await alice.users.me())?.memberships?.map((m) => m.organization.id)).toContain(
      organization.id,
    );
  });

  it('creates, lists, uses and revokes an API key', async () => {
    const created = await alice.users.createApiKey({ name: 'ci', scopes: ['READ', 'WRITE'] });
    expect(created.secret).toContain(created.apiKey.prefix);
    expect((await alice.users.apiKeys()).map((key) => key.id)).toContain(created.apiKey.id);
    const program = sdk.client({ apiKey: created.secret });
    expect((await program.users.me())?.id).toBe(aliceId);
    const revoked = await alice.users.revokeApiKey(created.apiKey.id);
    expect(revoked.revokedAt).not.toBeNull();
  });

  it('lists every user for an administrator, page by page', async () => {
    const { token } = await issueAccessToken(
      { userId: aliceId, role: 'ADMIN' },
      sdk.platform.secrets.JWT_SECRET,
      600,
    );
    const admin = sdk.client({ token });
    const ids: string[] = [];
    for await (const user of admin.users.list.iterate({ first: 1 })) ids.push(user.id);
    expect(ids).toEqual(expect.arrayContaining([aliceId, bobId]));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('client.data', () => {
  it('creates projects and documents, reads, pages, updates and deletes them', async () => {
    const prefix = uniqueName('proj');
    const project = await alice.data.createProject({ name: `${prefix}-a`, description: 'A' });
    await alice.data.createProject({ name: `${prefix}-b` });
    await alice.data.createProject({ name: `${prefix}-c` });
    expect((await alice.data.project(project.id))?.name).toBe(`${prefix}-a`);
    const names: string[] = [];
    for await (const p of alice.data.projects.iterate({
      first: 2,
      filter: { nameContains: prefix },
    }))
      names.push(p.name);
    expect(names.sort()).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);

    const withBob = await alice.data.addProjectMember({ projectId: project.id, userId: bobId });
    expect(withBob.members.edges.map(({ node }) => node.user.id)).toContain(bobId);
    const members = await alice.data.projectMembers({ id: project.id });
    expect(members.edges.map(({ node }) => node.user.id)).toContain(bobId);

    const doc = await alice.data.createDocument({
      projectId: project.id,
      title: 'Plan',
      body: { steps: [1, 2] },
      tags: ['x'],
    });
    expect(doc.version).toBe(1);
    await alice.data.createDocument({ projectId: project.id, title: 'Notes', tags: ['x'] });
    expect((await alice.data.document(doc.id))?.body).toEqual({ steps: [1, 2] });
    const page = await alice.data.documents({ projectId: project.id, tag: 'x', first: 1 });
    expect(page.pageInfo.hasNextPage).toBe(true);
    const titles: string[] = [];
    for await (const d of alice.data.documents.iterate({ projectId: project.id, first: 1 }))
      titles.push(d.title);
    expect(titles.sort()).toEqual(['Notes', 'Plan']);

    const updated = await bob.data.updateDocument({
      id: doc.id,
      expectedVersion: 1,
      patch: { title: 'Plan v2' },
    });
    expect(updated).toMatchObject({ title: 'Plan v2', version: 2 });
    expect(await alice.data.deleteDocument(doc.id)).toBe(doc.id);
  });
});

describe('client.data: project lifecycle', () => {
  it('updates a project, removes a member and deletes the project with its documents', async () => {
    // Its own owner: alice's projects are ranked by topProjects below.
    const { client: owner, payload } = await signedUp('owner');
    const ownerId = payload.user.id;
    const project = await owner.data.createProject({ name: uniqueName('life'), description: 'D' });
    const renamed = await owner.data.updateProject(project.id, { name: 'Renamed' });
    expect(renamed).toMatchObject({ id: project.id, name: 'Renamed', description: 'D' });
    await owner.data.addProjectMember({ projectId: project.id, userId: bobId });
    const removed = await owner.data.removeProjectMember({ projectId: project.id, userId: bobId });
    expect(removed.members.edges.map(({ node }) => node.user.id)).toEqual([ownerId]);
    const lastOwner = await owner.data
      .removeProjectMember({ projectId: project.id, userId: ownerId })
      .catch((e: unknown) => e);
    expect((lastOwner as PlatformError).code).toBe('LAST_OWNER');
    const doc = await owner.data.createDocument({ projectId: project.id, title: 'Gone soon' });
    expect(await owner.data.deleteProject(project.id)).toBe(project.id);
    expect(await owner.data.project(project.id)).toBeNull();
    expect(await owner.data.document(doc.id)).toBeNull();
  });
});

describe('sessions', () => {
  /** An access token for the user that expired ten seconds ago, as the gateway sees one. */
  const expiredToken = async (userId: string) =>
    (await issueAccessToken({ userId, role: 'USER' }, sdk.platform.secrets.JWT_SECRET, -10)).token;

  it('keeps the session login answers, and refreshSession and signOut use it', async () => {
    const { email } = await signedUp('sess');
    const changes: Array<Session | null> = [];
    const client = sdk.client({ onSessionChange: (session) => changes.push(session) });
    const login = await client.users.login({ email, password });
    expect(client.session?.refreshToken).toBe(login.refreshToken);
    expect((await client.users.me())?.email).toBe(email);
    const renewed = await client.users.refreshSession();
    expect(client.session?.refreshToken).toBe(renewed.refreshToken);
    expect(renewed.refreshToken).not.toBe(login.refreshToken);
    expect(await client.users.signOut()).toBe(true);
    expect(client.session).toBeNull();
    expect(changes.map((session) => session?.refreshToken ?? null)).toEqual([
      login.refreshToken,
      renewed.refreshToken,
      null,
    ]);
    const refused = await sdk
      .client()
      .users.refreshSession(renewed.refreshToken)
      .catch((e: unknown) => e);
    expect((refused as PlatformError).code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refreshes an expired access token once and retries the request, a mutation included', async () => {
    const { email, payload } = await signedUp('expired');
    const session = await sdk.client().users.login({ email, password });
    const { bodies, fetchImpl } = recordingFetch();
    const changes: Array<Session | null> = [];
    const client = sdk.client({
      session: { token: await expiredToken(payload.user.id), refreshToken: session.refreshToken },
      onSessionChange: (next) => changes.push(next),
      fetch: fetchImpl,
      persistedQueries: false,
    });
    expect((await client.users.me())?.id).toBe(payload.user.id);
    expect(bodies.map((body) => body.operationName)).toEqual(['Me', 'RefreshSession', 'Me']);
    expect(changes).toHaveLength(1);
    expect(client.session?.refreshToken).not.toBe(session.refreshToken);

    client.setSession({ ...client.session!, token: await expiredToken(payload.user.id) });
    bodies.length = 0;
    const project = await client.data.createProject({ name: uniqueName('after-refresh') });
    expect(project.id).toEqual(expect.any(String));
    expect(bodies.map((body) => body.operationName)).toEqual([
      'CreateProject',
      'RefreshSession',
      'CreateProject',
    ]);
  });

  it('shares one refresh among concurrent requests that find the token expired', async () => {
    const { email, payload } = await signedUp('concurrent');
    const session = await sdk.client().users.login({ email, password });
    const { bodies, fetchImpl } = recordingFetch();
    const client = sdk.client({
      session: { token: await expiredToken(payload.user.id), refreshToken: session.refreshToken },
      fetch: fetchImpl,
      persistedQueries: false,
    });
    const answers = await Promise.all([client.users.me(), client.users.me(), client.users.me()]);
    expect(answers.map((me) => me?.id)).toEqual([
      payload.user.id,
      payload.user.id,
      payload.user.id,
    ]);
    expect(bodies.filter((body) => body.operationName === 'RefreshSession')).toHaveLength(1);
  });

  it('rejects with UnauthenticatedError and forgets the session when the refresh is refused', async () => {
    const { email, payload } = await signedUp('ended');
    const other = sdk.client();
    const session = await other.users.login({ email, password });
    await other.users.signOut();
    const client = sdk.client({
      session: { token: await expiredToken(payload.user.id), refreshToken: session.refreshToken },
    });
    await expect(client.users.me()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(client.session).toBeNull();
  });

  it('changes the password: the other sessions end, this client keeps a new one', async () => {
    const { email } = await signedUp('pw');
    const elsewhere = await sdk.client().users.login({ email, password });
    const client = sdk.client();
    await client.users.login({ email, password });
    await client.users.changePassword({
      currentPassword: password,
      newPassword: 'new pass phrase',
    });
    expect((await client.users.me())?.email).toBe(email);
    const refused = await sdk
      .client()
      .users.refreshSession(elsewhere.refreshToken)
      .catch((e: unknown) => e);
    expect((refused as PlatformError).code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('lets an administrator set roles and search the user list', async () => {
    const { token } = await issueAccessToken(
      { userId: aliceId, role: 'ADMIN' },
      sdk.platform.secrets.JWT_SECRET,
      600,
    );
    const admin = sdk.client({ token });
    const dave = await signedUp('dave');
    const promoted = await admin.users.setUserRole({ userId: dave.payload.user.id, role: 'ADMIN' });
    expect(promoted.role).toBe('ADMIN');
    const found = await admin.users.list({ search: dave.email, role: 'ADMIN' });
    expect(found.edges.map((edge) => edge.node.id)).toEqual([dave.payload.user.id]);
  });
});

describe('client.analytics and client.notifications', () => {
  let projectId: string;
  let documentId: string;

  beforeAll(async () => {
    const project = await alice.data.createProject({ name: uniqueName('stats') });
    projectId = project.id;
    await alice.data.addProjectMember({ projectId, userId: bobId });
    const doc = await alice.data.createDocument({ projectId, title: 'Shared' });
    documentId = doc.id;
    await bob.data.updateDocument({ id: documentId, expectedVersion: 1, patch: { title: 'S2' } });
    await bob.data.updateDocument({ id: documentId, expectedVersion: 2, patch: { title: 'S3' } });
  });

  it('reads project stats, top projects and user activity once the events are counted', async () => {
    const stats = await eventually(async () => {
      const current = await alice.analytics.projectStats(projectId);
      return current && current.edits >= 2 ? current : undefined;
    });
    expect(stats).toMatchObject({ documents: 1, edits: 2 });
    const top = await alice.analytics.topProjects({ range: 'LAST_DAY', first: 5 });
    expect(top.map((t) => t.project.id)).toContain(projectId);
    const activity = await bob.analytics.userActivity({ id: bobId, range: 'LAST_DAY' });
    expect(activity?.documentEdits).toBeGreaterThanOrEqual(2);
  });

  it('reads metrics as an administrator and refuses them to a user with ForbiddenError', async () => {
    const now = new Date();
    const variables = {
      name: 'events',
      from: new Date(now.getTime() - 3_600_000).toISOString(),
      to: new Date(now.getTime() + 60_000).toISOString(),
      granularity: 'HOUR' as const,
    };
    await expect(alice.analytics.metrics(variables)).rejects.toBeInstanceOf(ForbiddenError);
    const { token } = await issueAccessToken(
      { userId: aliceId, role: 'ADMIN' },
      sdk.platform.secrets.JWT_SECRET,
      600,
    );
    const series = await sdk.client({ token }).analytics.metrics(variables);
    expect(series.name).toBe('events');
    expect(series.points.length).toBeGreaterThan(0);
  });

  it('lists, counts and marks notifications read', async () => {
    await eventually(async () =>
      (await alice.notifications.unreadCount()) >= 2 ? true : undefined,
    );
    const all = [];
    for await (const n of alice.notifications.list.iterate({ first: 1 })) all.push(n);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.every((n) => n.kind === 'DOCUMENT_UPDATED')).toBe(true);
    const since = await alice.notifications.since({});
    expect(since.map((n) => n.id).sort()).toEqual(all.map((n) => n.id).sort());
    const unread = await alice.notifications.unreadCount();
    const marked = await alice.notifications.markRead([all[0]!.id]);
    expect(marked[0]?.read).toBe(true);
    expect(await alice.notifications.unreadCount()).toBe(unread - 1);
    expect(await alice.notifications.markAllRead()).toBe(unread - 1);
    expect(await alice.notifications.unreadCount()).toBe(0);
  });

  it('subscribes to any typed subscription document with client.subscribe', async () => {
    const subscription = alice.subscribe(
      'subscription { notificationAdded(since: "0") { id kind } }' as unknown as TypedDocument<
        { notificationAdded: { id: string; kind: string } },
        Record<string, never>
      >,
    );
    const first = await subscription.next();
    expect(first.value?.notificationAdded.kind).toBe('DOCUMENT_UPDATED');
    await subscription.return?.();
  });
});

describe('request', () => {
  it('sends the sha256 hash first, the full query once when the gateway asks, then only the hash', async () => {
    const { bodies, fetchImpl } = recordingFetch();
    const client = sdk.client({ token: (await signedUp('apq')).payload.token, fetch: fetchImpl });
    const doc = `query Apq${Date.now()} { me { id } }` as unknown as typeof MeId;
    await client.request(doc);
    await client.request(doc);
    expect(bodies.map((body) => 'query' in body)).toEqual([false, true, false]);
    expect(bodies.every((body) => body.extensions !== undefined)).toBe(true);
  });

  it('sends the full query without a hash when persistedQueries is false', async () => {
    const { bodies, fetchImpl } = recordingFetch();
    const client = sdk.client({ token: aliceToken, persistedQueries: false, fetch: fetchImpl });
    expect((await client.request(MeId)).me?.id).toBe(aliceId);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ query: expect.any(String) });
    expect(bodies[0]?.extensions).toBeUndefined();
  });
});

describe('errors', () => {
  it('UnauthenticatedError for a bad token, with the x-request-id of the response', async () => {
    const error = await sdk
      .client({ token: 'not-a-jwt' })
      .request(MeId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as PlatformError).code).toBe('UNAUTHENTICATED');
    expect((error as PlatformError).requestId).toEqual(expect.any(String));
  });

  it('ForbiddenError for a mutation with a read-only API key', async () => {
    const { secret } = await alice.users.createApiKey({ name: 'ro', scopes: ['READ'] });
    const readOnly = sdk.client({ apiKey: secret });
    await expect(readOnly.data.createProject({ name: 'nope' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('VersionConflictError with currentVersion for a stale expectedVersion, sent exactly once', async () => {
    const project = await alice.data.createProject({ name: uniqueName('conflict') });
    const doc = await alice.data.createDocument({ projectId: project.id, title: 'T' });
    await alice.data.updateDocument({ id: doc.id, expectedVersion: 1, patch: { title: 'T2' } });
    const { bodies, fetchImpl } = recordingFetch();
    const client = sdk.client({ token: aliceToken, fetch: fetchImpl, persistedQueries: false });
    const error = await client.data
      .updateDocument({ id: doc.id, expectedVersion: 1, patch: { title: 'stale' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).currentVersion).toBe(2);
    expect(bodies).toHaveLength(1);
  });

  it('NotFoundError for an update of a document that does not exist', async () => {
    await expect(
      alice.data.updateDocument({
        id: '000000000000000000000000',
        expectedVersion: 1,
        patch: { title: 'x' },
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('ValidationError naming the argument for bad user input', async () => {
    const error = await sdk
      .client()
      .users.signUp({ email: 'not-an-email', name: 'x', password: 'short' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).argument).toEqual(expect.any(String));
  });

  it('CostLimitExceededError with cost and limit for an operation over the limit', async () => {
    const gateway = await sdk.platform.startGateway({ MAX_QUERY_COST: '5' });
    const client = sdk.client({ token: aliceToken }, gateway.url);
    const error = await client.data.projects({ first: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostLimitExceededError);
    expect((error as CostLimitExceededError).limit).toBe(5);
    expect((error as CostLimitExceededError).cost).toBeGreaterThan(5);
  });

  it('NetworkError when nothing listens, after bounded retries', async () => {
    const client = sdk.client(
      { retry: { maxAttempts: 3, baseDelayMs: 10 } },
      'http://127.0.0.1:9/graphql',
    );
    const started = Date.now();
    await expect(client.request(MeId)).rejects.toBeInstanceOf(NetworkError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('TimeoutError when timeoutMs runs out', async () => {
    await expect(alice.request(MeId, {}, { timeoutMs: 1 })).rejects.toBeInstanceOf(TimeoutError);
  });

  describe('with a tight rate limit', () => {
    let url: string;
    beforeAll(async () => {
      const gateway = await sdk.platform.startGateway({
        RATE_LIMIT_USER_CAPACITY: '3',
        RATE_LIMIT_USER_REFILL_PER_SECOND: '1',
      });
      url = gateway.url;
    });

    async function exhausted(fetchImpl?: typeof fetch) {
      const token = (await signedUp('limited')).payload.token;
      const probe = sdk.client({ token, retry: { maxAttempts: 1 }, persistedQueries: false }, url);
      for (;;) {
        try {
          await probe.request(MeId);
        } catch (error) {
          if (error instanceof RateLimitedError) return { token, error, fetchImpl };
          throw error;
        }
      }
    }

    it('RateLimitedError with retryAfterSeconds when retries are off', async () => {
      const { error } = await exhausted();
      expect(error.status).toBe(429);
      expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });

    it('a query retried after a 429 waits Retry-After and then succeeds', async () => {
      const { token, error } = await exhausted();
      const { bodies, fetchImpl } = recordingFetch();
      const client = sdk.client({ token, fetch: fetchImpl, persistedQueries: false }, url);
      const started = Date.now();
      expect((await client.request(MeId)).me?.id).toEqual(expect.any(String));
      expect(Date.now() - started).toBeGreaterThanOrEqual(error.retryAfterSeconds! * 1000 - 100);
      expect(bodies.length).toBeGreaterThanOrEqual(2);
    });

    it('a rate-limited mutation is sent exactly once and rejects with RateLimitedError', async () => {
      const { token } = await exhausted();
      const { bodies, fetchImpl } = recordingFetch();
      const client = sdk.client({ token, fetch: fetchImpl, persistedQueries: false }, url);
      await expect(client.data.createProject({ name: 'once' })).rejects.toBeInstanceOf(
        RateLimitedError,
      );
      expect(bodies).toHaveLength(1);
    });
  });
});

// Last: it stops the analytics subgraph for the rest of this file.
describe('with the analytics subgraph down', () => {
  it('a query is retried, then rejects with SubgraphUnavailableError carrying the partial data', async () => {
    const project = await alice.data.createProject({ name: uniqueName('partial') });
    await sdk.platform.events!.analytics.stop();
    const { bodies, fetchImpl } = recordingFetch();
    const client = sdk.client({
      token: aliceToken,
      fetch: fetchImpl,
      persistedQueries: false,
      retry: { maxAttempts: 3, baseDelayMs: 10 },
    });
    const partial =
      'query Partial($id: ID!) { named: project(id: $id) { name } counted: project(id: $id) { stats { edits } } }' as unknown as TypedDocument<
        { named: { name: string } | null; counted: { stats: { edits: number } } | null },
        { id: string }
      >;
    const error = await client.request(partial, { id: project.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubgraphUnavailableError);
    expect((error as SubgraphUnavailableError).subgraph).toBe('analytics');
    expect((error as SubgraphUnavailableError).data).toMatchObject({
      named: { name: project.name },
      counted: null,
    });
    expect(bodies).toHaveLength(3);
  });
});
