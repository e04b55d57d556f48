import { decodeCursor, pageSize, toConnection, type Connection } from '@platform/pagination';
import {
  creationPosition,
  isCreationPosition,
  type CreationPosition,
} from '../repositories/index.js';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageRequest {
  size: number;
  after?: CreationPosition;
  /** Rows to fetch: one more than the page, to learn whether another page follows. */
  limit: number;
}

/** `first` and `after` checked; BAD_USER_INPUT for a size out of range or a foreign cursor. */
export function pageRequest(args: PageArgs): PageRequest {
  const size = pageSize(args.first);
  return { size, after: decodeCursor(args.after, isCreationPosition), limit: size + 1 };
}

export function toPage<Row extends { _id: string; createdAt: Date }>(
  rows: Row[],
  page: PageRequest,
): Connection<Row> {
  return toConnection(rows, page.size, creationPosition);
}
