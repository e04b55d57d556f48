import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, errorCodes, type GraphQLResponse, userPrincipal } from '@platform/testing';
import { createDocument, createProject } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

interface UpdatedDocument {
  id: string;
  title: string;
  body: unknown;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

const UPDATE = `mutation ($id: ID!, $expectedVersion: Int!, $patch: DocumentPatch!) {
  updateDocument(id: $id, expectedVersion: $expectedVersion, patch: $patch) {
    id title body tags version createdAt updatedAt
  }
}`;

describe('document versions', () => {
  let test: TestSubgraph;
  let alice: Caller;
  let projectId: string;

  beforeAll(async () => {
    test = await startTestSubgraph('data_versions');
    alice = test.as(userPrincipal('alice'));
    projectId = await createProject(alice, 'Versioned');
  });

  afterAll(() => test.close());

  const update = (id: string, expectedVersion: number, patch: Record<string, unknown>) =>
    alice.request<{ updateDocument: UpdatedDocument }>(UPDATE, { id, expectedVersion, patch });

  const stored = (id: string) =>
    test.subgraph.db
      .collection<{ _id: string; version: number; title: string }>('documents')
      .findOne({ _id: id });

  const claims = () =>
    test.subgraph.db.collection<{
      _id: string;
      entityId: string;
      version: number;
      claimedBy: string;
      claimedAt: Date;
    }>('document_versions');

  it('applies a patch at the expected version and grows the version by one', async () => {
    const document = await createDocument(alice, projectId, {
      title: 'Draft',
      body: { blocks: [1, 2] },
      tags: ['a'],
    });
    const first = dataOf(await update(document.id, 1, { title: 'Final' })).updateDocument;
    expect(first).toMatchObject({
      title: 'Final',
      body: { blocks: [1, 2] },
      tags: ['a'],
      version: 2,
    });
    expect(Date.parse(first.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.createdAt));

    const second = dataOf(await update(document.id, 2, { body: null, tags: ['b', 'c'] }));
    expect(second.updateDocument).toMatchObject({
      title: 'Final',
      body: null,
      tags: ['b', 'c'],
      version: 3,
    });
  });

  it('answers VERSION_CONFLICT with the current version to a stale expectedVersion and changes nothing', async () => {
    const document = await createDocument(alice, projectId, { title: 'Shared' });
    dataOf(await update(document.id, 1, { title: 'Edited by someone else' }));
    const before = await stored(document.id);

    const stale = await update(document.id, 1, { title: 'Lost edit' });
    expect(errorCodes(stale)).toEqual(['VERSION_CONFLICT']);
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
    expect(await stored(document.id)).toEqual(before);

    const ahead = await update(document.id, 5, { title: 'From the future' });
    expect(errorCodes(ahead)).toEqual(['VERSION_CONFLICT']);
    expect(await stored(document.id)).toEqual(before);
  });

  it('applies exactly one of ten concurrent updates sent with the same expected version', async () => {
    const document = await createDocument(alice, projectId, { title: 'Contended' });
    for (let round = 0; round < 5; round++) {
      const expectedVersion = 1 + round;
      const titles = Array.from({ length: 10 }, (_, writer) => `round ${round} writer ${writer}`);
      const responses: Array<GraphQLResponse<{ updateDocument: UpdatedDocument }>> =
        await Promise.all(titles.map((title) => update(document.id, expectedVersion, { title })));

      const applied = responses.filter((response) => response.data?.updateDocument);
      const conflicts = responses.filter(
        (response) => errorCodes(response).join() === 'VERSION_CONFLICT',
      );
      expect({ round, applied: applied.length, conflicts: conflicts.length }).toEqual({
        round,
        applied: 1,
        conflicts: 9,
      });
      const winner = applied[0]?.data?.updateDocument;
      expect(winner?.version).toBe(expectedVersion + 1);
      expect(await stored(document.id)).toMatchObject({
        version: expectedVersion + 1,
        title: winner?.title,
      });
    }
    const ledger = await claims().find({ entityId: document.id }).sort({ version: 1 }).toArray();
    expect(ledger.map((claim) => claim.version)).toEqual([2, 3, 4, 5, 6]);
  });

  it('takes over a claim whose writer died before writing, but not a fresh one', async () => {
    const document = await createDocument(alice, projectId, { title: 'Orphaned' });
    const claim = {
      entityId: document.id,
      version: 2,
      claimedBy: 'a crashed process',
    };
    await claims().insertOne({ _id: randomUUID(), ...claim, claimedAt: new Date() });
    const blocked = await update(document.id, 1, { title: 'Blocked' });
    expect(errorCodes(blocked)).toEqual(['VERSION_CONFLICT']);
    expect(blocked.errors?.[0]?.extensions?.currentVersion).toBe(1);

    await claims().updateOne(claim, { $set: { claimedAt: new Date(Date.now() - 60_000) } });
    const recovered = dataOf(await update(document.id, 1, { title: 'Recovered' }));
    expect(recovered.updateDocument).toMatchObject({ title: 'Recovered', version: 2 });
    expect(await claims().findOne({ entityId: document.id, version: 2 })).toMatchObject({
      claimedBy: 'alice',
    });
  });

  it('refuses an empty patch and nulls for required fields with BAD_USER_INPUT', async () => {
    const document = await createDocument(alice, projectId, { title: 'Unchanged' });
    const before = await stored(document.id);
    for (const patch of [{}, { title: null }, { tags: null }, { title: '   ' }]) {
      expect(errorCodes(await update(document.id, 1, patch))).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await update(document.id, 0, { title: 'x' }))).toEqual(['BAD_USER_INPUT']);
    expect(await stored(document.id)).toEqual(before);
  });

  it('forgets the version ledger of a deleted document', async () => {
    const document = await createDocument(alice, projectId, { title: 'Short-lived' });
    dataOf(await update(document.id, 1, { title: 'Edited' }));
    expect(await claims().countDocuments({ entityId: document.id })).toBe(1);
    dataOf(
      await alice.request('mutation ($id: ID!) { deleteDocument(id: $id) }', { id: document.id }),
    );
    expect(await claims().countDocuments({ entityId: document.id })).toBe(0);
    const gone = await update(document.id, 2, { title: 'Too late' });
    expect(errorCodes(gone)).toEqual(['NOT_FOUND']);
  });
});
