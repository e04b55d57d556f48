import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { createDocument, createProject } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const ADD_MEMBER = `mutation ($projectId: ID!, $userId: ID!) {
  addProjectMember(projectId: $projectId, userId: $userId) { id members { id } }
}`;

describe('project members', () => {
  let test: TestSubgraph;
  let alice: Caller;

  beforeAll(async () => {
    test = await startTestSubgraph('data_members');
    alice = test.as(userPrincipal('alice'));
  });

  afterAll(() => test.close());

  const add = (projectId: string, userId: string) =>
    alice.request<{ addProjectMember: { members: Array<{ id: string }> } }>(ADD_MEMBER, {
      projectId,
      userId,
    });

  const storedMembers = async (projectId: string) =>
    (
      await test.subgraph.db
        .collection<{ _id: string; memberIds: string[] }>('projects')
        .findOne({ _id: projectId })
    )?.memberIds;

  it('gives a new member access to the project and its documents', async () => {
    const projectId = await createProject(alice, 'Shared');
    const document = await createDocument(alice, projectId, { title: 'Welcome' });
    const bob = test.as(userPrincipal('bob'));
    const query = 'query ($id: ID!) { document(id: $id) { id } }';
    expect(dataOf(await bob.request(query, { id: document.id }))).toEqual({ document: null });

    expect(dataOf(await add(projectId, 'bob')).addProjectMember.members).toEqual([
      { id: 'alice' },
      { id: 'bob' },
    ]);
    expect(dataOf(await bob.request(query, { id: document.id }))).toEqual({
      document: { id: document.id },
    });
  });

  it('adds a member once however often it is asked', async () => {
    const projectId = await createProject(alice, 'Idempotent');
    for (let attempt = 0; attempt < 3; attempt++) dataOf(await add(projectId, 'bob'));
    dataOf(await add(projectId, 'alice'));
    expect(await storedMembers(projectId)).toEqual(['alice', 'bob']);
  });

  it('keeps every member when ten are added at the same time', async () => {
    for (let round = 0; round < 3; round++) {
      const projectId = await createProject(alice, `Crowded ${round}`);
      const newcomers = Array.from({ length: 10 }, (_, index) => `user-${round}-${index}`);
      const responses = await Promise.all(newcomers.map((userId) => add(projectId, userId)));
      expect(responses.flatMap(errorCodes)).toEqual([]);
      expect((await storedMembers(projectId))?.sort()).toEqual(['alice', ...newcomers].sort());
    }
  });

  it('refuses a blank user id with BAD_USER_INPUT', async () => {
    const projectId = await createProject(alice, 'Strict');
    expect(errorCodes(await add(projectId, '  '))).toEqual(['BAD_USER_INPUT']);
    expect(await storedMembers(projectId)).toEqual(['alice']);
  });
});
