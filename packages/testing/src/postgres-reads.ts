import type pg from 'pg';

/**
 * How tests prove that a store query is served from an index, from PostgreSQL's own accounts:
 * the plan of a statement (EXPLAIN) and what statements really did (the cumulative statistics in
 * pg_stat_user_tables). Neither depends on timings.
 */

type Queryable = Pick<pg.Pool | pg.Client, 'query'>;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export interface PlanScan {
  node: string;
  relation?: string;
  index?: string;
}

/** Every node of a plan that reads a table or an index, depth first. */
export function planScans(plan: PlanNode): PlanScan[] {
  const own: PlanScan[] =
    plan['Relation Name'] !== undefined || plan['Index Name'] !== undefined
      ? [{ node: plan['Node Type'], relation: plan['Relation Name'], index: plan['Index Name'] }]
      : [];
  return [...own, ...(plan.Plans ?? []).flatMap(planScans)];
}

/**
 * The scans PostgreSQL plans for `text` with `values`, with sequential scans disabled: a table
 * still read by a Seq Scan then has no index that can serve the statement, however few rows the
 * test put in it (with scans allowed, the planner rightly scans small tables).
 */
export async function indexOnlyPlan(
  pool: pg.Pool,
  text: string,
  values: unknown[] = [],
): Promise<PlanScan[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${text}`,
      values,
    );
    return planScans(rows[0]!['QUERY PLAN'][0]!.Plan);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

/** The tables of `scans` read by a sequential scan. */
export function sequentiallyScanned(scans: PlanScan[]): string[] {
  return scans.filter((scan) => scan.node === 'Seq Scan').map((scan) => scan.relation ?? '?');
}

export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/**
 * Each of `statements` that, planned with sequential scans off (indexOnlyPlan), still reads a
 * table sequentially, with those tables: none when an index serves every one.
 */
export async function statementsScanningSequentially(
  pool: pg.Pool,
  statements: RecordedStatement[],
): Promise<Array<{ text: string; sequentiallyScanned: string[] }>> {
  const scanning: Array<{ text: string; sequentiallyScanned: string[] }> = [];
  for (const { text, values } of statements) {
    const tables = sequentiallyScanned(await indexOnlyPlan(pool, text, values));
    if (tables.length > 0) scanning.push({ text, sequentiallyScanned: tables });
  }
  return scanning;
}

/**
 * Records the statements sent through `pool.query` (how repositories read; transactions take a
 * client of their own and are not recorded) while `work` runs, and sends them on unchanged.
 */
export async function statementsSentDuring(
  pool: pg.Pool,
  work: () => Promise<unknown>,
): Promise<RecordedStatement[]> {
  const recorded: RecordedStatement[] = [];
  const send = pool.query.bind(pool) as (text: unknown, values?: unknown) => Promise<unknown>;
  const recording = (text: unknown, values?: unknown) => {
    if (typeof text === 'string') {
      recorded.push({ text, values: Array.isArray(values) ? values : [] });
    }
    return send(text, values);
  };
  pool.query = recording as typeof pool.query;
  try {
    await work();
  } finally {
    pool.query = send as typeof pool.query;
  }
  return recorded;
}

export interface TableReads {
  sequentialScans: number;
  rowsReadBySequentialScans: number;
  indexScans: number;
  rowsFetchedByIndexScans: number;
}

/** PostgreSQL's cumulative read counters of every table of `schema`, by table name. */
export async function tableReads(
  database: Queryable,
  schema: string,
): Promise<Map<string, TableReads>> {
  const { rows } = await database.query<TableReads & { table: string }>(
    `SELECT relname AS table,
            seq_scan::int AS "sequentialScans",
            seq_tup_read::int AS "rowsReadBySequentialScans",
            COALESCE(idx_scan, 0)::int AS "indexScans",
            COALESCE(idx_tup_fetch, 0)::int AS "rowsFetchedByIndexScans"
       FROM pg_stat_user_tables WHERE schemaname = $1`,
    [schema],
  );
  return new Map(rows.map(({ table, ...reads }) => [table, reads]));
}

/** What a table's counters grew by between two readings of tableReads. */
export function readsBetween(before: TableReads | undefined, after: TableReads): TableReads {
  return {
    sequentialScans: after.sequentialScans - (before?.sequentialScans ?? 0),
    rowsReadBySequentialScans:
      after.rowsReadBySequentialScans - (before?.rowsReadBySequentialScans ?? 0),
    indexScans: after.indexScans - (before?.indexScans ?? 0),
    rowsFetchedByIndexScans: after.rowsFetchedByIndexScans - (before?.rowsFetchedByIndexScans ?? 0),
  };
}
