import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, MongoServerError } from 'mongodb';
import { stackEndpoints, uniqueName } from '@platform/testing';

describe('stack MongoDB wire server', () => {
  const client = new MongoClient(stackEndpoints().mongo.url);
  const db = client.db(uniqueName('smoke'));

  beforeAll(() => client.connect());
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('inserts documents and finds them with a filter', async () => {
    const projects = db.collection<{ name: string; stars: number }>('projects');
    await projects.insertMany([
      { name: 'a', stars: 1 },
      { name: 'b', stars: 5 },
      { name: 'c', stars: 9 },
    ]);
    const found = await projects
      .find({ stars: { $gte: 5 } }, { projection: { _id: 0 } })
      .sort({ name: 1 })
      .toArray();
    expect(found).toEqual([
      { name: 'b', stars: 5 },
      { name: 'c', stars: 9 },
    ]);
  });

  it('rejects a duplicate on a unique index', async () => {
    const users = db.collection<{ email: string }>('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@example.com' });
    const duplicate = users.insertOne({ email: 'a@example.com' });
    await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
    await expect(duplicate).rejects.toMatchObject({ code: 11000 });
  });
});
