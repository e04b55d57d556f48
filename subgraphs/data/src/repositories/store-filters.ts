/**
 * How filters are shaped so that the store answers them from an index.
 *
 * FerretDB 1.x on PostgreSQL (the local stack) pushes down to SQL only top-level equality on a
 * scalar (`{ projectId: 'p1' }`, which also matches an array holding it); `$and`, `$or`, `$in`,
 * ranges, regular expressions and dotted paths are evaluated in FerretDB after it has read every
 * row the pushed-down part selects, and it never pushes down a sort or, with a filter, a limit.
 * The stack gives every index a GIN companion that serves that equality (packages/stack,
 * ferretdb-indexes.ts). So every list query leads with equality on the leading key of an index,
 * as top-level fields, and keeps the rest (keyset position, text match, further members) in
 * separate top-level operators that narrow what that equality selected. On MongoDB the same
 * filters use the same compound indexes, sort included.
 */

/**
 * One equality lookup per distinct id, in parallel: FerretDB does not push `$in` down, so one
 * batch by `$in` would read the whole collection on every call.
 */
export async function findEachById<Row>(
  ids: readonly string[],
  findOne: (id: string) => Promise<Row | null>,
): Promise<Row[]> {
  const rows: Array<Row | null> = await Promise.all([...new Set(ids)].map(findOne));
  return rows.filter((row): row is Row => row !== null);
}
