import type pg from 'pg';
import type { Counter } from 'prom-client';

/**
 * The repositories' one way to PostgreSQL: every statement goes through `query`, so counting
 * (and anything else every query needs) happens here, not at each call site.
 */
export interface Database {
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  /**
   * Runs `work` in one transaction on one connection: it commits when `work` resolves and rolls
   * back when it rejects. A statement whose error a repository turned into `undefined` has
   * aborted the transaction; `work` must then send nothing more, and PostgreSQL answers the
   * COMMIT with a ROLLBACK, so nothing of it is written.
   */
  transaction<Result>(work: (tx: Database) => Promise<Result>): Promise<Result>;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** A database over the pool that counts every statement it sends (BEGIN and COMMIT included). */
export function countedDatabase(pool: pg.Pool, statements: Counter): Database {
  return poolDatabase(pool, statements);
}

/** The same over the pool; statements are counted only when a counter is given. */
export function poolDatabase(pool: pg.Pool, statements?: Counter): Database {
  return {
    query: (text, values) => send(pool, statements, text, values),
    async transaction(work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await send(client, statements, 'BEGIN');
        const result = await work({
          query: (text, values) => send(client, statements, text, values),
          transaction: () => Promise.reject(new Error('transactions do not nest')),
        });
        await send(client, statements, 'COMMIT');
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

async function send<Row extends pg.QueryResultRow>(
  target: Queryable,
  statements: Counter | undefined,
  text: string,
  values?: unknown[],
): Promise<Row[]> {
  statements?.inc();
  const result = await target.query<Row>(text, values);
  return result.rows;
}
