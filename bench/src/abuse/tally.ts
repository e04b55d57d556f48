/** Counts by name: `{ RATE_LIMITED: 3, 'close 4401': 1 }`. */
export type Tally = Record<string, number>;

export function count(tally: Tally, key: string, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}

export const totalOf = (tally: Tally): number =>
  Object.values(tally).reduce((sum, value) => sum + value, 0);

/** The GraphQL error codes of an answer's `errors`, `NO_CODE` for an error without one. */
export function errorCodesOf(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors.map((error: { extensions?: { code?: unknown } } | null) => {
    const code = error?.extensions?.code;
    return typeof code === 'string' ? code : 'NO_CODE';
  });
}
