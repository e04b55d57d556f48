import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase } from '@platform/testing';

describe('stack PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('smoke');
    pool = new pg.Pool({ connectionString: database.url });
    await pool.query('CREATE TABLE accounts (email text PRIMARY KEY, balance int NOT NULL)');
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('commits a transaction and rolls back another', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("INSERT INTO accounts VALUES ('a@example.com', 10)");
      await client.query('COMMIT');
      await client.query('BEGIN');
      await client.query("INSERT INTO accounts VALUES ('b@example.com', 20)");
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const { rows } = await pool.query('SELECT email, balance FROM accounts ORDER BY email');
    expect(rows).toEqual([{ email: 'a@example.com', balance: 10 }]);
  });

  it('reports a unique violation with SQLSTATE 23505', async () => {
    await pool.query("INSERT INTO accounts VALUES ('dup@example.com', 1)");
    await expect(
      pool.query("INSERT INTO accounts VALUES ('dup@example.com', 2)"),
    ).rejects.toMatchObject({
      code: '23505',
    });
  });
});
