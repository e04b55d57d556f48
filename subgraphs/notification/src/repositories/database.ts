import type pg from 'pg';
import type { Counter } from 'prom-client';

/**
 * The repositories' one way to PostgreSQL: every statement goes through `query`, so counting
 * happens here, not at each call site. `transaction` runs statements on one connection between
 * BEGIN and COMMIT (ROLLBACK when `run` rejects).
 */
export interface Database {
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  transaction<T>(run: (tx: Database) => Promise<T>): Promise<T>;
}

export function countedDatabase(pool: pg.Pool, statements: Counter): Database {
  const on = (client: pg.Pool | pg.PoolClient): Database['query'] =>
    async function query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      statements.inc();
      const result = await client.query<Row>(text, values);
      return result.rows;
    };

  return {
    query: on(pool),
    async transaction(run) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await run({
          query: on(client),
          transaction: () => Promise.reject(new Error('transactions do not nest')),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true; // do not hand a connection in an unknown state back to the pool
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
