import type pg from 'pg';
import type { Counter } from 'prom-client';

/**
 * The read repositories' one way to PostgreSQL: every statement goes through `query`, so counting
 * (and anything else every query needs) happens here, not at each call site.
 */
export interface Database {
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
}

export function countedDatabase(pool: pg.Pool, statements: Counter): Database {
  return {
    async query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      statements.inc();
      const result = await pool.query<Row>(text, values);
      return result.rows;
    },
  };
}
