import type { Document, MongoClient } from 'mongodb';
import { planScans, type PlanScan } from '@platform/testing';

/**
 * FerretDB's `explain` of a find (the local stack's MongoDB-wire server, FerretDB 1.x on
 * PostgreSQL): which parts it pushed down to SQL, and PostgreSQL's plan for that SQL. A part that
 * is not pushed down is done by FerretDB over every row the SQL returns.
 */
export interface ExplainedFind {
  filterPushdown: boolean;
  sortPushdown: boolean;
  limitPushdown: boolean;
  scans: PlanScan[];
}

export async function explainFind(
  client: MongoClient,
  database: string,
  find: Document,
): Promise<ExplainedFind> {
  const command = Object.fromEntries(
    ['find', 'filter', 'sort', 'limit', 'projection']
      .filter((key) => find[key] !== undefined)
      .map((key) => [key, find[key]]),
  );
  const result = await client.db(database).command({ explain: command });
  return {
    filterPushdown: result.filterPushdown === true,
    sortPushdown: result.sortPushdown === true,
    limitPushdown: result.limitPushdown === true,
    scans: planScans(result.queryPlanner.Plan),
  };
}

/** FerretDB keeps collection `name` in table `name_<hash>` of a schema named after the database. */
export function collectionOfTable(table: string): string {
  return table.replace(/_[0-9a-f]{8}$/, '');
}
