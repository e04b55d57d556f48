import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  errorCodes,
  postGraphQL,
  startPrivateKafka,
  type GraphQLErrorBody,
  type PrivateService,
} from '@platform/testing';
import {
  graphql,
  signUp,
  startTestPlatform,
  type Credential,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

/**
 * Issue 12, "client mistakes answered as server errors" and "a write-only key reads e-mails", on
 * the real platform (gateway, user subgraph on PostgreSQL, data subgraph on the MongoDB-wire
 * store, analytics): each input below gave INTERNAL_SERVER_ERROR, or data it should not, before.
 */
let kafka: PrivateService & { brokers: string[] };
let platform: TestPlatform;
let url: string;
let alice: SignedUpUser;
let projectId: string;

const NUL = '\u0000';

beforeAll(async () => {
  // With events, so the analytics subgraph runs too; a broker of this file's own.
  kafka = await startPrivateKafka();
  platform = await startTestPlatform({ events: { brokers: kafka.brokers } });
  url = platform.gatewayUrl;
  alice = await signUp(url, 'alice');
  const project = await graphql<{ createProject: { id: string } }>(
    url,
    'mutation { createProject(input: { name: "Inputs" }) { id } }',
    {},
    alice,
  );
  projectId = project.data!.createProject.id;
}, 60_000);

afterAll(async () => {
  await platform?.stop();
  await kafka?.dispose();
}, 60_000);

/** The one error of a refused operation: BAD_USER_INPUT naming `argument`. */
function expectBadUserInput(
  result: { status: number; errors?: readonly GraphQLErrorBody[] },
  argument: string,
) {
  expect(result.status).toBeLessThan(500);
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors![0]!.extensions!.argument).toBe(argument);
}

describe('the NUL character in a string input', () => {
  const SIGN_UP = `mutation ($email: String!, $name: String!, $password: String!) {
    signUp(email: $email, name: $name, password: $password) { token }
  }`;

  it.each([
    ['email', { email: `a${NUL}@example.com`, name: 'Nul', password: 'long enough pass' }],
    [
      'name',
      { email: `nul-${Date.now()}@example.com`, name: `N${NUL}ul`, password: 'long enough' },
    ],
    [
      'password',
      { email: `nul2-${Date.now()}@example.com`, name: 'Nul', password: `p${NUL}ssword!` },
    ],
  ])('in sign-up %s is BAD_USER_INPUT naming it', async (argument, variables) => {
    expectBadUserInput(await graphql(url, SIGN_UP, variables), argument);
  });

  it('in a login e-mail is BAD_USER_INPUT naming it', async () => {
    const result = await graphql(
      url,
      'mutation ($email: String!) { login(email: $email, password: "whatever it is") { token } }',
      { email: `${alice.email}${NUL}` },
    );
    expectBadUserInput(result, 'email');
  });

  it('in a project name, given inline, is BAD_USER_INPUT naming it', async () => {
    const result = await graphql(
      url,
      'mutation { createProject(input: { name: "Bad\\u0000Name" }) { id } }',
      {},
      alice,
    );
    expectBadUserInput(result, 'input.name');
  });

  it.each([
    ['input.title', { projectId: '', title: `T${NUL}`, tags: [] }],
    ['input.tags.1', { projectId: '', title: 'T', tags: ['ok', `t${NUL}g`] }],
    ['input.body.text', { projectId: '', title: 'T', body: { text: `b${NUL}dy` } }],
  ])('in a document field (%s) is BAD_USER_INPUT naming it', async (argument, input) => {
    const result = await graphql(
      url,
      'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }',
      { input: { ...input, projectId } },
      alice,
    );
    expectBadUserInput(result, argument);
  });

  it('in an id looked up is BAD_USER_INPUT naming it', async () => {
    const result = await graphql(
      url,
      'query ($id: ID!) { project(id: $id) { id } }',
      {
        id: `${projectId}${NUL}`,
      },
      alice,
    );
    expectBadUserInput(result, 'id');
  });

  it('leaves nothing written', async () => {
    const projects = await graphql<{ me: { projects: { edges: { node: { name: string } }[] } } }>(
      url,
      '{ me { projects(first: 50) { edges { node { name } } } } }',
      {},
      alice,
    );
    expect(projects.data!.me.projects.edges.map((edge) => edge.node.name)).toEqual(['Inputs']);
  });
});

describe('a document body nested too deep', () => {
  const CREATE = `mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`;
  const nested = (depth: number): unknown => {
    let body: unknown = 'leaf';
    for (let level = 0; level < depth; level++) body = { child: body };
    return body;
  };

  it('is BAD_USER_INPUT naming the variable at 5,000 levels', async () => {
    // Written out by hand: JSON.stringify itself runs out of stack on it in a test's VM.
    const depth = 5_000;
    const body = `${'{"child":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;
    const request = `{"query":${JSON.stringify(CREATE)},"variables":{"input":{"projectId":${JSON.stringify(projectId)},"title":"Deep","body":${body}}}}`;
    const { status, body: answer } = await postGraphQL(url, request, {
      authorization: `Bearer ${alice.token}`,
    });
    // Refused by the gateway before it serializes the variables for the data subgraph.
    expect(status).toBe(200);
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors![0]!.extensions!.variable).toBe('input');
    expect(answer.errors![0]!.message).toMatch(/more than 128 levels deep/);
  });

  it('is BAD_USER_INPUT inside arrays too', async () => {
    let body: unknown = 1;
    for (let level = 0; level < 100; level++) body = [body];
    const result = await graphql(url, CREATE, { input: { projectId, title: 'Deep', body } }, alice);
    expectBadUserInput(result, 'input.body');
  });

  it('is refused one level past the documented maximum of 64', async () => {
    const result = await graphql(
      url,
      CREATE,
      { input: { projectId, title: 'Deep', body: nested(65) } },
      alice,
    );
    expectBadUserInput(result, 'input.body');
  });

  it('is accepted at the documented maximum of 64 levels, and reads back the same', async () => {
    const body = nested(64);
    const created = await graphql<{ createDocument: { id: string; body: unknown } }>(
      url,
      'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id body } }',
      { input: { projectId, title: 'Deep enough', body } },
      alice,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createDocument.body).toEqual(body);
  });
});

describe('a write-only API key', () => {
  let writeOnly: Credential;
  let readWrite: Credential;

  beforeAll(async () => {
    const key = async (scopes: string) => {
      const created = await graphql<{ createApiKey: { secret: string } }>(
        url,
        `mutation { createApiKey(name: "script", scopes: [${scopes}]) { secret } }`,
        {},
        alice,
      );
      return { apiKey: created.data!.createApiKey.secret };
    };
    writeOnly = await key('WRITE');
    readWrite = await key('READ, WRITE');
  });

  const CREATE = `mutation ($name: String!) {
    createProject(input: { name: $name }) {
      id name members { edges { node { user { id email memberships { role } } } } }
    }
  }`;

  it("writes, but reads no member's e-mail or memberships through the entity references", async () => {
    const result = await graphql<{
      createProject: {
        id: string;
        members: { edges: Array<{ node: { user: { id: string; email: string | null } } }> };
      };
    }>(url, CREATE, { name: 'By script' }, writeOnly);

    expect(result.status).toBe(200);
    expect(result.data!.createProject.members.edges).toEqual([
      { node: { user: { id: alice.id, email: null, memberships: null } } },
    ]);
    const forbidden = (result.errors ?? []).map((error) => [error.extensions?.code, error.path]);
    expect(forbidden).toEqual(
      expect.arrayContaining([
        ['FORBIDDEN', ['createProject', 'members', 'edges', 0, 'node', 'user', 'email']],
        ['FORBIDDEN', ['createProject', 'members', 'edges', 0, 'node', 'user', 'memberships']],
      ]),
    );
    expect(forbidden).toHaveLength(2);
  });

  it('with the read scope too, reads them', async () => {
    const result = await graphql<{
      createProject: { members: { edges: Array<{ node: { user: { email: string | null } } }> } };
    }>(url, CREATE, { name: 'By script, reading' }, readWrite);

    expect(result.errors).toBeUndefined();
    expect(result.data!.createProject.members.edges[0]!.node.user.email).toBe(alice.email);
  });
});

describe('metrics with a date that is not one', () => {
  let admin: Credential;

  beforeAll(async () => {
    const user = await signUp(url, 'metrics-admin');
    await platform.user.pool.query(`UPDATE users SET role = 'ADMIN' WHERE id = $1`, [user.id]);
    const login = await graphql<{ login: { token: string } }>(
      url,
      'mutation ($email: String!) { login(email: $email, password: "correct horse battery") { token } }',
      { email: user.email },
    );
    admin = { token: login.data!.login.token };
  });

  it.each([
    [
      'inline',
      '{ metrics(name: "events", from: "yesterday", to: "2026-01-02T00:00:00Z", granularity: HOUR) { name } }',
      {},
    ],
    [
      'in a variable',
      'query ($from: DateTime!) { metrics(name: "events", from: $from, to: "2026-01-02T00:00:00Z", granularity: HOUR) { name } }',
      { from: 'yesterday' },
    ],
  ])('is BAD_USER_INPUT naming `from` (%s)', async (_, query, variables) => {
    expectBadUserInput(await graphql(url, query, variables, admin), 'from');
  });

  it('and a real one answers', async () => {
    const result = await graphql<{ metrics: { name: string } }>(
      url,
      '{ metrics(name: "events", from: "2026-01-01T00:00:00Z", to: "2026-01-01T03:00:00Z", granularity: HOUR) { name points { value } } }',
      {},
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.metrics.name).toBe('events');
  });
});
