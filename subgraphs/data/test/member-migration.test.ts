import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { dataOf, stackEndpoints, uniqueName, userPrincipal } from '@platform/testing';
import { dataCollections, type LegacyProjectRecord } from '../src/repositories/index.js';
import { membersOf } from './fixtures.js';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const PROJECT = `query ($id: ID!) {
  project(id: $id) { id name members { edges { node { user { id } } } } }
}`;

/** A database as the data subgraph left it before `project_members`: members in an array. */
describe('projects stored with a memberIds array', () => {
  const database = uniqueName('data_migration');
  let client: MongoClient;
  let test: TestSubgraph | undefined;
  const legacy: LegacyProjectRecord = {
    _id: randomUUID(),
    name: 'Before',
    description: null,
    ownerId: 'alice',
    memberIds: ['alice', 'bob', 'carol'],
    createdAt: new Date(Date.now() - 60_000),
    version: 3,
  };

  beforeAll(async () => {
    client = await MongoClient.connect(stackEndpoints().mongo.url);
    const projects = client.db(database).collection<LegacyProjectRecord>('projects');
    await projects.insertOne(legacy);
    await projects.createIndex({ memberIds: 1, createdAt: -1, _id: -1 });
  });

  afterAll(async () => {
    await test?.close();
    await client.db(database).dropDatabase();
    await client.close();
  });

  it('moves them into project_members at start-up, keeping order and access, twice over', async () => {
    for (let start = 0; start < 2; start++) {
      test = await startTestSubgraph('unused', { database });
      const bob = test.as(userPrincipal('bob'));
      expect(dataOf(await bob.request(PROJECT, { id: legacy._id }))).toEqual({
        project: { id: legacy._id, name: 'Before', members: membersOf('alice', 'bob', 'carol') },
      });
      const stranger = test.as(userPrincipal('dave'));
      expect(dataOf(await stranger.request(PROJECT, { id: legacy._id }))).toEqual({
        project: null,
      });
      await test.close();
      test = undefined;
    }
    const collections = dataCollections(client.db(database));
    const stored = (await collections.projects.findOne({ _id: legacy._id })) as LegacyProjectRecord;
    expect(stored.memberIds).toBeUndefined();
    expect(stored.version).toBe(legacy.version + 1);
    expect(await collections.projectMembers.countDocuments({ projectId: legacy._id })).toBe(3);
    const indexes = (await collections.projects.indexes()).map((index) => index.name);
    expect(indexes).not.toContain('memberIds_1_createdAt_-1__id_-1');
  });
});
