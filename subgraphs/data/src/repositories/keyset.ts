/**
 * Lists are ordered newest first by (createdAt, _id) and paged by keyset: a cursor holds the
 * position of the last row a client saw, and the next page starts strictly after it, so rows
 * inserted meanwhile neither shift nor repeat a page.
 */

interface CreationOrdered {
  _id: string;
  createdAt: Date;
}

export interface CreationPosition {
  createdAt: number;
  id: string;
}

export const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

export function creationPosition(row: CreationOrdered): CreationPosition {
  return { createdAt: row.createdAt.getTime(), id: row._id };
}

export function isCreationPosition(value: unknown): value is CreationPosition {
  const candidate = value as Partial<CreationPosition> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Number.isSafeInteger(candidate.createdAt) &&
    typeof candidate.id === 'string'
  );
}

/** Rows after `position` in NEWEST_FIRST order. */
export function olderThan(position: CreationPosition) {
  const createdAt = new Date(position.createdAt);
  return {
    $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: position.id } }],
  };
}
