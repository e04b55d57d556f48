import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, postGraphQL } from '@platform/testing';
import {
  counter,
  graphql,
  signUp,
  startTestPlatform,
  type SignedUpUser,
  type TestPlatform,
} from './platform.js';

let platform: TestPlatform;
let alice: SignedUpUser;
let bob: SignedUpUser;
let projectId: string;
let documentIds: string[];

const CREATE_PROJECT = 'mutation ($name: String!) { createProject(input: { name: $name }) { id } }';
const CREATE_DOCUMENT = `mutation ($projectId: ID!, $title: String!) {
  createDocument(input: { projectId: $projectId, title: $title, body: { blocks: [] }, tags: ["e2e"] }) { id }
}`;
const ADD_MEMBER =
  'mutation ($projectId: ID!, $userId: ID!) { addProjectMember(projectId: $projectId, userId: $userId) { id } }';
const UPDATE_TITLE = `mutation ($id: ID!, $version: Int!, $title: String!) {
  updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { id title version }
}`;
const READ_DOCUMENT = 'query ($id: ID!) { document(id: $id) { id title version } }';

beforeAll(async () => {
  platform = await startTestPlatform();
  const url = platform.gatewayUrl;
  alice = await signUp(url, 'alice');
  bob = await signUp(url, 'bob');
  const created = await graphql<{ createProject: { id: string } }>(
    url,
    CREATE_PROJECT,
    { name: 'Atlas' },
    alice,
  );
  projectId = created.data!.createProject.id;
  documentIds = [];
  for (let n = 1; n <= 50; n += 1) {
    const document = await graphql<{ createDocument: { id: string } }>(
      url,
      CREATE_DOCUMENT,
      { projectId, title: `Chapter ${n}` },
      alice,
    );
    documentIds.push(document.data!.createDocument.id);
  }
});

afterAll(() => platform?.stop());

describe('the federated graph through the gateway', () => {
  it('logs in with the password chosen at sign-up', async () => {
    const result = await graphql<{ login: { token: string; user: { id: string } } }>(
      platform.gatewayUrl,
      'mutation ($email: String!) { login(email: $email, password: "correct horse battery") { token user { id } } }',
      { email: alice.email },
    );
    expect(result.data?.login.user.id).toBe(alice.id);
    const me = await graphql<{ me: { id: string } }>(
      platform.gatewayUrl,
      '{ me { id } }',
      {},
      { token: result.data!.login.token },
    );
    expect(me.data?.me.id).toBe(alice.id);
  });

  it('answers one query across both subgraphs, with every author in one batched lookup', async () => {
    const userUrl = platform.user.url;
    const batchesBefore = await counter(userUrl, 'user_reference_batches_total', { type: 'User' });
    const sqlBefore = await counter(userUrl, 'user_sql_queries_total');

    const result = await graphql<{
      me: {
        projects: {
          edges: Array<{
            node: {
              name: string;
              documents: {
                edges: Array<{ node: { title: string; author: { name: string; email: string } } }>;
              };
            };
          }>;
        };
      };
    }>(
      platform.gatewayUrl,
      `
        {
          me {
            projects {
              edges {
                node {
                  name
                  documents(first: 50) {
                    edges {
                      node {
                        title
                        author {
                          name
                          email
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      `,
      {},
      alice,
    );

    expect(result.errors).toBeUndefined();
    const projects = result.data!.me.projects.edges.map((edge) => edge.node);
    expect(projects.map((project) => project.name)).toEqual(['Atlas']);
    const documents = projects[0]!.documents.edges.map((edge) => edge.node);
    expect(documents).toHaveLength(50);
    expect(new Set(documents.map((document) => document.title)).size).toBe(50);
    for (const document of documents) {
      expect(document.author).toEqual({ name: 'alice', email: alice.email });
    }
    // One lookup resolves `me`; one batched lookup (one SQL statement) resolves all 50 authors.
    expect(
      (await counter(userUrl, 'user_reference_batches_total', { type: 'User' })) - batchesBefore,
    ).toBe(2);
    expect((await counter(userUrl, 'user_sql_queries_total')) - sqlBefore).toBe(2);
  });

  it('keeps another user out of a project and its documents, changing nothing', async () => {
    const url = platform.gatewayUrl;
    const [documentId] = documentIds;
    const project = await graphql(
      url,
      'query ($id: ID!) { project(id: $id) { id name } }',
      { id: projectId },
      bob,
    );
    expect(project.data).toEqual({ project: null });
    const document = await graphql(url, READ_DOCUMENT, { id: documentId }, bob);
    expect(document.data).toEqual({ document: null });

    const update = await graphql(
      url,
      UPDATE_TITLE,
      { id: documentId, version: 1, title: 'Hijacked' },
      bob,
    );
    expect(update.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const addSelf = await graphql(url, ADD_MEMBER, { projectId, userId: bob.id }, bob);
    expect(addSelf.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|FORBIDDEN/);
    const remove = await graphql(
      url,
      'mutation ($id: ID!) { deleteDocument(id: $id) }',
      { id: documentId },
      bob,
    );
    expect(remove.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const unchanged = await graphql<{ document: { title: string; version: number } }>(
      url,
      READ_DOCUMENT,
      { id: documentId },
      alice,
    );
    expect(unchanged.data?.document).toMatchObject({ title: 'Chapter 1', version: 1 });
  });

  it('lets an API key with only the read scope query but not mutate', async () => {
    const url = platform.gatewayUrl;
    const created = await graphql<{ createApiKey: { secret: string } }>(
      url,
      'mutation { createApiKey(name: "reporting", scopes: [READ]) { secret } }',
      {},
      alice,
    );
    const apiKey = created.data!.createApiKey.secret;
    const read = await graphql<{ me: { id: string } }>(url, '{ me { id } }', {}, { apiKey });
    expect(read.data?.me.id).toBe(alice.id);

    const write = await graphql(url, CREATE_PROJECT, { name: 'Sneaky' }, { apiKey });
    expect(write.status).toBe(403);
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const projects = await graphql<{ projects: { edges: unknown[] } }>(
      url,
      '{ projects { edges { node { id } } } }',
      {},
      alice,
    );
    expect(projects.data?.projects.edges).toHaveLength(1);
  });

  it('applies exactly one of two racing updates with the same expected version', async () => {
    const url = platform.gatewayUrl;
    const id = documentIds[1]!;
    await graphql(url, ADD_MEMBER, { projectId, userId: bob.id }, alice);
    const results = await Promise.all([
      graphql(url, UPDATE_TITLE, { id, version: 1, title: 'By Alice' }, alice),
      graphql(url, UPDATE_TITLE, { id, version: 1, title: 'By Bob' }, bob),
    ]);
    const winners = results.filter((result) => result.data?.updateDocument);
    const losers = results.filter(
      (result) => result.errors?.[0]?.extensions?.code === 'VERSION_CONFLICT',
    );
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);

    const stored = await graphql<{ document: { title: string; version: number } }>(
      url,
      READ_DOCUMENT,
      { id },
      alice,
    );
    const winner = winners[0]!.data as { updateDocument: { title: string } };
    expect(stored.data?.document).toEqual({ id, title: winner.updateDocument.title, version: 2 });
  });
});

describe('what only the gateway may do', () => {
  it('refuses a request sent straight to a subgraph without the gateway signature', async () => {
    for (const subgraphUrl of [platform.user.url, platform.data.url]) {
      const response = await fetch(subgraphUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user-id': alice.id },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('bad input', () => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  async function expectStillServing() {
    const me = await graphql<{ me: { id: string } }>(
      platform.gatewayUrl,
      '{ me { id } }',
      {},
      alice,
    );
    expect(me.data?.me.id).toBe(alice.id);
  }

  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await postGraphQL(platform.gatewayUrl, body, {
      authorization: `Bearer ${alice.token}`,
      ...headers,
    });
    return { status: response.status, code: errorCodes(response.body)[0] };
  }

  it.each([
    ['a malformed JSON body', '{"query": "{ me { id } "', {}, 400, 'BAD_REQUEST'],
    [
      'an unknown field',
      JSON.stringify({ query: '{ me { shoeSize } }' }),
      {},
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a variable of the wrong type',
      JSON.stringify({
        query: 'query ($id: ID!) { document(id: $id) { id } }',
        variables: { id: { nested: true } },
      }),
      {},
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a 2 MB query string',
      JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(2 * 1024 * 1024)}` }),
      {},
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'an invalid JWT',
      JSON.stringify({ query: '{ me { id } }' }),
      { authorization: 'Bearer not.a.jwt' },
      401,
      'UNAUTHENTICATED',
    ],
    [
      "an unsigned JWT with alg 'none'",
      JSON.stringify({ query: '{ me { id } }' }),
      {
        authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'ADMIN', iss: 'platform', aud: 'platform-api', exp: 9999999999 })}.`,
      },
      401,
      'UNAUTHENTICATED',
    ],
  ])(
    'answers %s with a clear 4xx and keeps serving',
    async (_name, body, headers, status, code) => {
      expect(await post(body, headers)).toEqual({ status, code });
      await expectStillServing();
    },
  );
});
