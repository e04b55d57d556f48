import { isUuid } from '../uuid.js';

/**
 * A row's place in a list ordered by (timestamp, id). The timestamp is kept as whole microseconds
 * since the epoch: a JS Date would drop PostgreSQL's microseconds and make pages skip or repeat rows.
 */
export interface KeysetPosition {
  at: number;
  id: string;
}

export type Positioned<Row> = Row & { position: KeysetPosition };

export function isKeysetPosition(value: unknown): value is KeysetPosition {
  const candidate = value as Partial<KeysetPosition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Number.isSafeInteger(candidate.at) &&
    typeof candidate.id === 'string' &&
    isUuid(candidate.id)
  );
}

/** SQL for the exact microseconds of a timestamptz column, read back as `positionAt`. */
export const positionAtColumn = (column: string) =>
  `(extract(epoch FROM ${column}) * 1000000)::bigint AS "positionAt"`;

/** SQL turning a microseconds parameter back into the exact timestamptz it came from. */
export const timestampFromMicroseconds = (parameter: string) =>
  `(timestamptz 'epoch' + ${parameter}::bigint * interval '1 microsecond')`;

/** Attaches its position to a row read with `positionAtColumn` (bigint arrives as a string). */
export function withPosition<Row extends { positionAt: string }>(
  { positionAt, ...row }: Row,
  id: string,
): Positioned<Omit<Row, 'positionAt'>> {
  return { ...row, position: { at: Number(positionAt), id } };
}
