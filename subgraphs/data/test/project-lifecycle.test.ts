import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPrincipal, dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { eventOf, type StoredOutboxEntryRecord } from '../src/repositories/index.js';
import { addMember, createDocument, createProject, membersOf } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const UPDATE = `mutation ($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { id name description }
}`;
const REMOVE = `mutation ($projectId: ID!, $userId: ID!) {
  removeProjectMember(projectId: $projectId, userId: $userId) { id members { edges { node { user { id } } } } }
}`;
const DELETE = 'mutation ($id: ID!) { deleteProject(id: $id) }';
const PROJECT =
  'query ($id: ID!) { project(id: $id) { id name description members { edges { node { user { id } } } } } }';

describe('updating, deleting and leaving projects', () => {
  let test: TestSubgraph;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    test = await startTestSubgraph('data_lifecycle');
    alice = test.as(userPrincipal('alice'));
    bob = test.as(userPrincipal('bob'));
  });

  afterAll(() => test.close());

  /** The events enqueued in the outbox about these subjects, oldest first. */
  const enqueued = async (subjectIds: string[]) =>
    (
      await test.subgraph.db
        .collection<StoredOutboxEntryRecord>('outbox')
        .find({ 'event.subject.id': { $in: subjectIds } })
        .sort({ createdAt: 1, _id: 1 })
        .toArray()
    ).map(({ event }) => eventOf(event));

  it('lets the owner rename a project and clear its description, and publishes project.updated', async () => {
    const id = await createProject(alice, 'Before');
    dataOf(await alice.request(UPDATE, { id, input: { description: 'Some words' } }));
    const renamed = await alice.request(UPDATE, {
      id,
      input: { name: ' After ', description: '' },
    });
    expect(dataOf(renamed)).toEqual({ updateProject: { id, name: 'After', description: null } });
    const updates = (await enqueued([id])).filter((event) => event.type === 'project.updated');
    expect(updates.map((event) => event.data.changedFields)).toEqual([
      ['description'],
      ['name', 'description'],
    ]);
  });

  it('refuses an update from a member who does not own the project, and a null name', async () => {
    const id = await createProject(alice, 'Guarded');
    await addMember(alice, id, 'bob');
    expect(errorCodes(await bob.request(UPDATE, { id, input: { name: 'Mine' } }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await alice.request(UPDATE, { id, input: { name: null } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await alice.request(UPDATE, { id, input: { name: '   ' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      dataOf(await alice.request<{ project: { name: string } }>(PROJECT, { id })).project.name,
    ).toBe('Guarded');
  });

  it('removes a member, who then no longer sees the project or its documents', async () => {
    const id = await createProject(alice, 'Team');
    const document = await createDocument(alice, id, { title: 'Plan' });
    await addMember(alice, id, 'bob');
    const removed = await alice.request(REMOVE, { projectId: id, userId: 'bob' });
    expect(dataOf(removed)).toEqual({ removeProjectMember: { id, members: membersOf('alice') } });
    expect(dataOf(await bob.request(PROJECT, { id }))).toEqual({ project: null });
    const read = 'query ($id: ID!) { document(id: $id) { id } }';
    expect(dataOf(await bob.request(read, { id: document.id }))).toEqual({ document: null });
    const [event] = (await enqueued([id])).filter((e) => e.type === 'project.member_removed');
    expect(event?.data).toEqual({ name: 'Team', userId: 'bob', memberIds: ['alice'] });
  });

  it('refuses to remove the owner (LAST_OWNER) and lets a member leave on their own', async () => {
    const id = await createProject(alice, 'Owned');
    await addMember(alice, id, 'bob');
    await addMember(alice, id, 'carol');
    expect(errorCodes(await alice.request(REMOVE, { projectId: id, userId: 'alice' }))).toEqual([
      'LAST_OWNER',
    ]);
    const admin = test.as(adminPrincipal('root'));
    expect(errorCodes(await admin.request(REMOVE, { projectId: id, userId: 'alice' }))).toEqual([
      'LAST_OWNER',
    ]);
    expect(errorCodes(await bob.request(REMOVE, { projectId: id, userId: 'carol' }))).toEqual([
      'FORBIDDEN',
    ]);
    dataOf(await bob.request(REMOVE, { projectId: id, userId: 'bob' }));
    // Removing someone who is not (or no longer) a member changes nothing.
    dataOf(await alice.request(REMOVE, { projectId: id, userId: 'bob' }));
    const project = dataOf(await alice.request<{ project: { members: unknown } }>(PROJECT, { id }));
    expect(project.project.members).toEqual(membersOf('alice', 'carol'));
    const removals = (await enqueued([id])).filter((e) => e.type === 'project.member_removed');
    expect(removals).toHaveLength(1);
  });

  it('deletes a project with its documents, publishing each deletion and then the project’s', async () => {
    const id = await createProject(alice, 'Doomed');
    await addMember(alice, id, 'bob');
    const documents = await Promise.all(
      ['One', 'Two', 'Three'].map((title) => createDocument(bob, id, { title })),
    );
    expect(errorCodes(await bob.request(DELETE, { id }))).toEqual(['FORBIDDEN']);

    expect(dataOf(await alice.request(DELETE, { id }))).toEqual({ deleteProject: id });
    expect(dataOf(await alice.request(PROJECT, { id }))).toEqual({ project: null });
    const remaining = await test.subgraph.db
      .collection('documents')
      .countDocuments({ projectId: id });
    expect(remaining).toBe(0);

    const events = await enqueued([id, ...documents.map((document) => document.id)]);
    const deletions = events.filter((event) => event.type.endsWith('.deleted'));
    expect(deletions.map((event) => event.type)).toEqual([
      'document.deleted',
      'document.deleted',
      'document.deleted',
      'project.deleted',
    ]);
    for (const event of deletions.slice(0, 3)) {
      expect(event.data).toMatchObject({
        projectId: id,
        withProject: true,
        memberIds: ['alice', 'bob'],
      });
    }
    expect(deletions[3]?.data).toEqual({
      name: 'Doomed',
      ownerId: 'alice',
      memberIds: ['alice', 'bob'],
    });
    expect(errorCodes(await alice.request(DELETE, { id }))).toEqual(['NOT_FOUND']);
  });

  it('lets an administrator delete a project they are not a member of', async () => {
    const id = await createProject(alice, 'Admin cleans up');
    await createDocument(alice, id, { title: 'Left behind' });
    const admin = test.as(adminPrincipal('root'));
    expect(dataOf(await admin.request(DELETE, { id }))).toEqual({ deleteProject: id });
    expect(await test.subgraph.db.collection('documents').countDocuments({ projectId: id })).toBe(
      0,
    );
  });

  it('hides a project from a caller who may not see it behind NOT_FOUND', async () => {
    const id = await createProject(alice, 'Private');
    expect(errorCodes(await bob.request(DELETE, { id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await bob.request(UPDATE, { id, input: { name: 'x' } }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await bob.request(REMOVE, { projectId: id, userId: 'alice' }))).toEqual([
      'NOT_FOUND',
    ]);
  });
});
