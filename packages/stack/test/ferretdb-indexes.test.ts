import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { stackEndpoints, uniqueName } from '@platform/testing';
import { installFerretdbIndexCompanions } from '../src/services/ferretdb-indexes.js';

describe("FerretDB's GIN index companions", () => {
  const client = new MongoClient(stackEndpoints().mongo.url);
  const database = uniqueName('companions');
  // FerretDB keeps each MongoDB database as a schema of PostgreSQL database `ferretdb`.
  const ferretdb = new pg.Client({ connectionString: stackEndpoints().postgres.url('ferretdb') });

  const companionKeys = async () => {
    const { rows } = await ferretdb.query<{ key: string }>(
      `SELECT pg_get_indexdef(i.indexrelid, 1, true) AS key
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_am a ON a.oid = c.relam
         JOIN pg_class t ON t.oid = i.indrelid
        WHERE a.amname = 'gin' AND c.relnamespace = $1::regnamespace AND t.relname LIKE 'entries\\_%'
        ORDER BY 1`,
      [database],
    );
    return rows.map(({ key }) => key);
  };

  beforeAll(async () => {
    await Promise.all([client.connect(), ferretdb.connect()]);
    await installFerretdbIndexCompanions(ferretdb);
    const entries = client.db(database).collection('entries');
    await entries.insertOne({ status: 'ready', createdAt: new Date(), event: { id: 'e1' } });
    await entries.createIndex({ status: 1, createdAt: 1 });
    await entries.createIndex({ status: 1, publishedAt: 1 });
    await entries.createIndex({ 'event.id': 1 });
  });

  afterAll(async () => {
    await client.db(database).dropDatabase();
    await Promise.all([client.close(), ferretdb.end()]);
  });

  it('gives each top-level leading key one companion, and a dotted path none', async () => {
    expect(await companionKeys()).toEqual([
      "(_jsonb -> '_id'::text)",
      "(_jsonb -> 'status'::text)",
    ]);
  });
});
