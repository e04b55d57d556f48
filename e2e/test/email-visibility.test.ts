import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadDataConfig, startDataSubgraph } from '@platform/data-subgraph';
import { createLogger } from '@platform/logger';
import { errorCodes, eventually, stackEndpoints, uniqueName } from '@platform/testing';
import {
  counter,
  graphql,
  sharedProject,
  signUp,
  startTestPlatform,
  type Credential,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * Who reads a user's e-mail (issue 16, item 6): the user themself, platform administrators, and
 * users who share an organization or a project with them; anyone else reads null, with no error,
 * over HTTP and in a notification's `actor`. The data subgraph says who shares a project
 * (User.sharesProjectWithViewer, hidden), the user subgraph's `email` requires it and decides.
 *
 * alice owns the project Atlas (with bob) and the organization Acme (with carol); dave shares
 * nothing with anyone; root is a platform administrator in neither.
 */
let platform: TestPlatform;
let url: string;
let alice: SignedUpUser;
let bob: SignedUpUser;
let carol: SignedUpUser;
let dave: SignedUpUser;
let root: SignedUpUser;
let atlasId: string;
let acmeId: string;
const subscribers: Subscriber[] = [];
const rootEmail = `${uniqueName('root')}@example.com`;

const EMAIL_OF = 'query ($id: ID!) { user(id: $id) { id email } }';

async function emailOf(viewer: Credential, user: SignedUpUser): Promise<string | null> {
  const result = await graphql<{ user: { id: string; email: string | null } }>(
    url,
    EMAIL_OF,
    { id: user.id },
    viewer,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data!.user.id).toBe(user.id);
  return result.data!.user.email;
}

async function succeeded<Data>(
  pending: Promise<{ data?: Data | null; errors?: unknown }>,
): Promise<Data> {
  const result = await pending;
  if (result.errors || !result.data) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

async function addToOrganization(owner: SignedUpUser, member: SignedUpUser): Promise<void> {
  await succeeded(
    graphql(
      url,
      'mutation ($o: ID!, $u: ID!) { addOrganizationMember(organizationId: $o, userId: $u, role: MEMBER) { role } }',
      { o: acmeId, u: member.id },
      owner,
    ),
  );
}

beforeAll(async () => {
  platform = await startTestPlatform({
    events: { brokers: stackEndpoints().kafka.brokers },
    userEnv: { ADMIN_EMAILS: rootEmail },
  });
  await platform.events!.startNotificationConsumer();
  url = platform.gatewayUrl;
  [alice, bob, carol, dave] = [
    await signUp(url, 'alice'),
    await signUp(url, 'bob'),
    await signUp(url, 'carol'),
    await signUp(url, 'dave'),
  ];
  const signedUpRoot = await succeeded(
    graphql<{ signUp: { token: string; user: { id: string; role: string } } }>(
      url,
      'mutation ($email: String!) { signUp(email: $email, name: "root", password: "correct horse battery") { token user { id role } } }',
      { email: rootEmail },
    ),
  );
  expect(signedUpRoot.signUp.user.role).toBe('ADMIN');
  root = { id: signedUpRoot.signUp.user.id, email: rootEmail, token: signedUpRoot.signUp.token };

  atlasId = await sharedProject(url, alice, 'Atlas', [bob]);
  const acme = await succeeded(
    graphql<{ createOrganization: { id: string } }>(
      url,
      'mutation { createOrganization(name: "Acme") { id } }',
      {},
      alice,
    ),
  );
  acmeId = acme.createOrganization.id;
  await addToOrganization(alice, carol);
}, 180_000);

afterAll(async () => {
  for (const subscriber of subscribers) await subscriber.close();
  await platform?.stop();
}, 60_000);

describe('user(id) { email } through the gateway', () => {
  it('shows the e-mail to the user, a project peer, an organization peer and an administrator', async () => {
    expect(await emailOf(alice, alice)).toBe(alice.email);
    expect(await emailOf(alice, bob)).toBe(bob.email);
    expect(await emailOf(bob, alice)).toBe(alice.email);
    expect(await emailOf(alice, carol)).toBe(carol.email);
    expect(await emailOf(carol, alice)).toBe(alice.email);
    expect(await emailOf(root, dave)).toBe(dave.email);
    expect(await emailOf(dave, dave)).toBe(dave.email);
  });

  it('answers a stranger null with no error, and a friend of a friend is a stranger', async () => {
    expect(await emailOf(dave, alice)).toBeNull();
    expect(await emailOf(alice, dave)).toBeNull();
    expect(await emailOf(dave, root)).toBeNull();
    // bob shares Atlas with alice, carol shares Acme with alice; bob and carol share nothing.
    expect(await emailOf(bob, carol)).toBeNull();
    expect(await emailOf(carol, bob)).toBeNull();
  });

  it('keeps cached answers per viewer: the same query after a peer still answers a stranger null', async () => {
    expect(await emailOf(bob, alice)).toBe(alice.email);
    expect(await emailOf(bob, alice)).toBe(alice.email);
    expect(await emailOf(dave, alice)).toBeNull();
    expect(await emailOf(carol, alice)).toBe(alice.email);
  });

  it('lets an API key see what its user sees', async () => {
    const created = await succeeded(
      graphql<{ createApiKey: { secret: string } }>(
        url,
        'mutation { createApiKey(name: "reader", scopes: [READ]) { secret } }',
        {},
        bob,
      ),
    );
    const key = { apiKey: created.createApiKey.secret };
    expect(await emailOf(key, alice)).toBe(alice.email);
    expect(await emailOf(key, bob)).toBe(bob.email);
    expect(await emailOf(key, carol)).toBeNull();
    expect(await emailOf(key, dave)).toBeNull();
  });

  it('keeps users(search:) to administrators, who find anyone by e-mail and read it', async () => {
    const search = 'query ($s: String!) { users(search: $s) { edges { node { id email } } } }';
    type Found = { users: { edges: Array<{ node: { id: string; email: string | null } }> } };
    const found = await succeeded(graphql<Found>(url, search, { s: dave.email }, root));
    expect(found.users.edges.map((edge) => edge.node)).toEqual([
      { id: dave.id, email: dave.email },
    ]);
    // A user cannot search, so searching by e-mail cannot tell a stranger's address either.
    expect(errorCodes(await graphql(url, search, { s: dave.email }, alice))).toEqual(['FORBIDDEN']);
  });

  it('shows login and refreshSession their own account’s e-mail, the caller being anonymous', async () => {
    type Session = { refreshToken: string; user: { id: string; email: string | null } };
    const login = await succeeded(
      graphql<{ login: Session }>(
        url,
        'mutation ($email: String!) { login(email: $email, password: "correct horse battery") { refreshToken user { id email } } }',
        { email: dave.email },
      ),
    );
    expect(login.login.user).toEqual({ id: dave.id, email: dave.email });
    const refreshed = await succeeded(
      graphql<{ refreshSession: Session }>(
        url,
        'mutation ($t: String!) { refreshSession(refreshToken: $t) { user { id email } } }',
        { t: login.login.refreshToken },
      ),
    );
    expect(refreshed.refreshSession.user).toEqual({ id: dave.id, email: dave.email });
  });
});

describe('a notification’s actor { email } over the WebSocket', () => {
  const NOTIFICATIONS = `subscription { notificationAdded(since: "0") { kind actor { id email } } }`;
  type Delivered = { kind: string; actor: { id: string; email: string | null } | null };

  it('is null for a stranger who acted (an administrator outside the project) and shown for a project peer', async () => {
    // dave has no notification yet; `since: "0"` replays whatever arrives before the socket listens.
    // The first can take a while: the notification consumer's group joins the stack's Kafka first.
    const daveLive = subscribe(url, dave.token, NOTIFICATIONS);
    subscribers.push(daveLive);
    expect(await emailOf(dave, alice)).toBeNull();

    // root, an administrator who is no member of Atlas, adds dave to it: dave is told by root,
    // with whom he shares no project and no organization.
    await succeeded(
      graphql(
        url,
        'mutation ($p: ID!, $u: ID!) { addProjectMember(projectId: $p, userId: $u) { id } }',
        { p: atlasId, u: dave.id },
        root,
      ),
    );
    const [added] = (await daveLive.waitFor(1, 150_000)) as unknown as Delivered[];
    expect(added).toEqual({ kind: 'PROJECT_MEMBER_ADDED', actor: { id: root.id, email: null } });

    // alice, with whom dave now shares Atlas, creates a document: her e-mail reaches dave.
    await succeeded(
      graphql(
        url,
        'mutation ($p: ID!) { createDocument(input: { projectId: $p, title: "Welcome" }) { id } }',
        { p: atlasId },
        alice,
      ),
    );
    const delivered = (await daveLive.waitFor(2, 60_000)) as unknown as Delivered[];
    expect(delivered[1]).toEqual({
      kind: 'DOCUMENT_CREATED',
      actor: { id: alice.id, email: alice.email },
    });
    expect(daveLive.errors).toEqual([]);

    // The stored notifications, read over HTTP, follow the same rule.
    type Listed = { me: { notifications: { edges: Array<{ node: Delivered }> } } };
    const listed = await succeeded(
      graphql<Listed>(
        url,
        '{ me { notifications(first: 10) { edges { node { kind actor { id email } } } } } }',
        {},
        dave,
      ),
    );
    expect(listed.me.notifications.edges.map((edge) => edge.node)).toEqual([
      { kind: 'DOCUMENT_CREATED', actor: { id: alice.id, email: alice.email } },
      { kind: 'PROJECT_MEMBER_ADDED', actor: { id: root.id, email: null } },
    ]);

    // Over HTTP too, once the membership's event has reached the response cache: both ways.
    await eventually(async () => ((await emailOf(dave, alice)) === alice.email ? true : undefined));
    await eventually(async () => ((await emailOf(alice, dave)) === dave.email ? true : undefined));
    expect(await emailOf(dave, root)).toBeNull();
  }, 240_000);
});

describe('a membership change', () => {
  it('hides a removed member’s e-mail again, from both sides, cached answers included', async () => {
    // dave joined Atlas in the test above; both see each other's e-mail now.
    expect(await emailOf(alice, dave)).toBe(dave.email);
    expect(await emailOf(dave, bob)).toBe(bob.email);
    await succeeded(
      graphql(
        url,
        'mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { id } }',
        { p: atlasId, u: dave.id },
        alice,
      ),
    );
    await eventually(async () => ((await emailOf(alice, dave)) === null ? true : undefined));
    await eventually(async () => ((await emailOf(dave, bob)) === null ? true : undefined));
  }, 60_000);
});

describe('batching', () => {
  it('decides the e-mails of 30 users with one data-subgraph fetch and a bounded number of queries', async () => {
    const crowd: SignedUpUser[] = [];
    for (let n = 0; n < 30; n += 1) crowd.push(await signUp(url, `crowd${n}`));
    for (const member of crowd) await addToOrganization(alice, member);
    const membersOfAcme = `query ($o: ID!) {
      organization(id: $o) { members(first: 50) { edges { node { user { id email } } } } }
    }`;
    type Members = {
      organization: {
        members: { edges: Array<{ node: { user: { id: string; email: string } } }> };
      };
    };
    const metricsUrl = platform.gateway.metricsUrl;
    const dataCalls = () =>
      counter(metricsUrl, 'gateway_subgraph_requests_total', { subgraph: 'data' });
    const userCalls = () =>
      counter(metricsUrl, 'gateway_subgraph_requests_total', { subgraph: 'user' });
    const projectFinds = () =>
      counter(platform.data.url, 'data_store_queries_total', {
        collection: 'projects',
        operation: 'find',
      });
    const userSql = () => counter(platform.user.url, 'user_sql_queries_total');
    const before = {
      data: await dataCalls(),
      user: await userCalls(),
      finds: await projectFinds(),
      sql: await userSql(),
    };

    // carol is in Acme and in no project: every e-mail is hers to read through the organization.
    const members = await succeeded(graphql<Members>(url, membersOfAcme, { o: acmeId }, carol));

    const users = members.organization.members.edges.map((edge) => edge.node.user);
    expect(users).toHaveLength(32);
    const emails = new Map([alice, carol, ...crowd].map((user) => [user.id, user.email]));
    for (const user of users) expect(user.email).toBe(emails.get(user.id));
    expect((await dataCalls()) - before.data).toBe(1);
    expect((await projectFinds()) - before.finds).toBe(1);
    // user: the organization with its members (carol's memberships, the organization, the page,
    // the 32 users), then the e-mails (the 32 users, the memberships of carol and all 32): six
    // statements, whatever the number of users.
    expect((await userCalls()) - before.user).toBe(2);
    expect((await userSql()) - before.sql).toBe(6);
  }, 120_000);
});

describe('without the data subgraph', () => {
  it('hides e-mails that need a shared project, with an error and no 5xx, and shows them once it is back', async () => {
    const port = platform.data.port;
    const mongoDatabase = platform.data.db.databaseName;
    await platform.data.stop();
    const read = () =>
      graphql<{ user: { id: string; name: string; email: string | null } }>(
        url,
        'query ($id: ID!) { user(id: $id) { id name email } }',
        { id: bob.id },
        alice,
      );

    const during = await read();
    expect(during.status).toBeLessThan(500);
    expect(during.data!.user).toEqual({ id: bob.id, name: 'bob', email: null });
    expect(errorCodes(during)).toContain('SUBGRAPH_UNAVAILABLE');
    // `me` provides what `email` requires: the caller's own e-mail needs no data subgraph.
    const me = await graphql<{ me: { email: string } }>(url, '{ me { email } }', {}, alice);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.email).toBe(alice.email);

    const restarted = await startDataSubgraph(
      { ...loadDataConfig({ ...platform.secrets, MONGO_DATABASE: mongoDatabase }), PORT: port },
      createLogger('data', { level: 'silent' }),
      { publishEvents: false },
    );
    try {
      await eventually(
        async () => ((await read()).data?.user.email === bob.email ? true : undefined),
        {
          timeoutMs: 30_000,
          intervalMs: 250,
        },
      );
    } finally {
      await restarted.stop();
    }
  }, 60_000);
});
