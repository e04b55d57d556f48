import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPrincipal, anonymous, dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { createDocument, createProject } from './fixtures.js';
import {
  post,
  signedAs,
  startTestSubgraph,
  unsigned,
  type Caller,
  type TestSubgraph,
} from './harness.js';

/** Every mutation of the schema, aimed at data the read-only caller could otherwise change. */
function everyMutation(projectId: string, documentId: string) {
  return {
    createProject: ['mutation { createProject(input: { name: "More" }) { id } }', {}],
    addProjectMember: [
      'mutation ($p: ID!) { addProjectMember(projectId: $p, userId: "bob") { id } }',
      { p: projectId },
    ],
    createDocument: [
      'mutation ($p: ID!) { createDocument(input: { projectId: $p, title: "New" }) { id } }',
      { p: projectId },
    ],
    updateDocument: [
      'mutation ($d: ID!) { updateDocument(id: $d, expectedVersion: 1, patch: { title: "Changed" }) { id } }',
      { d: documentId },
    ],
    deleteDocument: ['mutation ($d: ID!) { deleteDocument(id: $d) }', { d: documentId }],
  } satisfies Record<string, [string, Record<string, unknown>]>;
}

describe('credentials', () => {
  let test: TestSubgraph;
  let owner: Caller;
  let readOnly: Caller;
  let projectId: string;
  let documentId: string;

  beforeAll(async () => {
    test = await startTestSubgraph('data_credentials');
    owner = test.as(userPrincipal('alice'));
    // alice again, through a credential that may only read (for example a read-only API key)
    readOnly = test.as(userPrincipal('alice', { scopes: ['read'] }));
    projectId = await createProject(owner, 'Guarded');
    documentId = (await createDocument(owner, projectId, { title: 'Original' })).id;
  });

  afterAll(() => test.close());

  const storedState = async () => ({
    projects: await test.subgraph.db.collection('projects').find().toArray(),
    documents: await test.subgraph.db.collection('documents').find().toArray(),
  });

  it('refuses a request without the gateway signature with HTTP 401', async () => {
    const response = await post(test.subgraph.url, unsigned, '{ projects { edges { cursor } } }');
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a request signed with another secret with HTTP 401', async () => {
    const forged = signedAs(adminPrincipal('alice'), 'not-the-gateway-secret-but-long-enough');
    const response = await post(test.subgraph.url, forged, '{ projects { edges { cursor } } }');
    expect(response.status).toBe(401);
  });

  it('answers UNAUTHENTICATED to an anonymous caller', async () => {
    const response = await test
      .as(anonymous)
      .request('query ($id: ID!) { project(id: $id) { id } }', { id: projectId });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets a read-only credential read', async () => {
    const response = await readOnly.request<{ document: { title: string } }>(
      'query ($id: ID!) { document(id: $id) { title } }',
      { id: documentId },
    );
    expect(dataOf(response).document.title).toBe('Original');
  });

  it('refuses every mutation to a read-only credential with FORBIDDEN and changes nothing', async () => {
    const before = await storedState();
    for (const [name, [query, variables]] of Object.entries(everyMutation(projectId, documentId))) {
      const response = await readOnly.request(query, variables);
      expect({ name, codes: errorCodes(response) }).toEqual({ name, codes: ['FORBIDDEN'] });
    }
    expect(await storedState()).toEqual(before);
  });
});
