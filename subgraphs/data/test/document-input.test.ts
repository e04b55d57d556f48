import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { createDocument, createProject, membersOf } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const CREATE_PROJECT = `mutation ($input: CreateProjectInput!) {
  createProject(input: $input) { id name description owner { id } members { edges { node { user { id } } } } }
}`;
const CREATE_DOCUMENT = `mutation ($input: CreateDocumentInput!) {
  createDocument(input: $input) { id title body tags version author { id } project { id } }
}`;
const UPDATE_BODY = `mutation ($id: ID!, $body: JSON) {
  updateDocument(id: $id, expectedVersion: 1, patch: { body: $body }) { version }
}`;

/** A JSON value whose serialization is about `kib` KiB. */
const bodyOfSize = (kib: number) => ({ text: 'x'.repeat(kib * 1024 - 20) });

describe('mutation input', () => {
  let test: TestSubgraph;
  let alice: Caller;
  let projectId: string;

  beforeAll(async () => {
    test = await startTestSubgraph('data_input');
    alice = test.as(userPrincipal('alice'));
    projectId = await createProject(alice, 'Inputs');
  });

  afterAll(() => test.close());

  const documentCount = () => test.subgraph.db.collection('documents').countDocuments();

  it('creates a project with a trimmed name, owned by the caller as its first member', async () => {
    const response = await alice.request(CREATE_PROJECT, {
      input: { name: '  Roadmap  ', description: '   ' },
    });
    expect(dataOf(response).createProject).toMatchObject({
      name: 'Roadmap',
      description: null,
      owner: { id: 'alice' },
      members: membersOf('alice'),
    });
  });

  it('refuses a blank or overlong project name with BAD_USER_INPUT', async () => {
    for (const name of ['', '   ', 'n'.repeat(201)]) {
      const response = await alice.request(CREATE_PROJECT, { input: { name } });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
    const longest = await alice.request(CREATE_PROJECT, { input: { name: 'n'.repeat(200) } });
    expect(errorCodes(longest)).toEqual([]);
  });

  it('stores any JSON body and returns it unchanged', async () => {
    const bodies = [
      {
        blocks: [[1, 2], [3]],
        $schema: 'v1',
        'a.b': { '': null },
        nested: { deep: [{ x: true }] },
      },
      [['matrix', 1], [], [[[]]]],
      'plain text',
      42.5,
      false,
      { unicode: 'zażółć 🎉', escaped: '"quotes" \\ and \n newlines' },
    ];
    for (const body of bodies) {
      const response = await alice.request<{ createDocument: { body: unknown } }>(CREATE_DOCUMENT, {
        input: { projectId, title: 'Body', body },
      });
      expect(dataOf(response).createDocument.body).toEqual(body);
    }
  });

  it('creates a document by the caller at version 1 with trimmed, distinct tags', async () => {
    const response = await alice.request(CREATE_DOCUMENT, {
      input: { projectId, title: ' Spec ', tags: [' api ', 'api', '', 'design'] },
    });
    expect(dataOf(response).createDocument).toMatchObject({
      title: 'Spec',
      body: null,
      tags: ['api', 'design'],
      version: 1,
      author: { id: 'alice' },
      project: { id: projectId },
    });
  });

  it('refuses a body larger than 256 KiB with BAD_USER_INPUT, on create and on update', async () => {
    const before = await documentCount();
    const tooLarge = await alice.request(CREATE_DOCUMENT, {
      input: { projectId, title: 'Huge', body: bodyOfSize(257) },
    });
    expect(errorCodes(tooLarge)).toEqual(['BAD_USER_INPUT']);
    expect(await documentCount()).toBe(before);

    const document = await createDocument(alice, projectId, { body: bodyOfSize(255) });
    const growing = await alice.request(UPDATE_BODY, { id: document.id, body: bodyOfSize(300) });
    expect(errorCodes(growing)).toEqual(['BAD_USER_INPUT']);
    expect(dataOf(await alice.request(UPDATE_BODY, { id: document.id, body: [1] }))).toEqual({
      updateDocument: { version: 2 },
    });
  });

  it('refuses more than 50 tags, an overlong tag and a bad title with BAD_USER_INPUT', async () => {
    const before = await documentCount();
    const inputs = [
      { projectId, title: 'Tags', tags: Array.from({ length: 51 }, (_, index) => `t${index}`) },
      { projectId, title: 'Tags', tags: ['t'.repeat(101)] },
      { projectId, title: '  ' },
      { projectId, title: 't'.repeat(501) },
    ];
    for (const input of inputs) {
      expect(errorCodes(await alice.request(CREATE_DOCUMENT, { input }))).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
    expect(await documentCount()).toBe(before);
    const fifty = Array.from({ length: 50 }, (_, index) => `t${index}`);
    expect((await createDocument(alice, projectId, { tags: fifty })).version).toBe(1);
  });
});
