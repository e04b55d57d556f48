import { badUserInput } from '@platform/errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<Node> {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: PageInfo;
}

/** `first` checked against the bounds every list of the API shares. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return size;
}

/** Cursors are opaque to clients: base64url JSON of whatever position the store needs. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<Position>(
  cursor: string | null | undefined,
  isPosition: (value: unknown) => value is Position,
): Position | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isPosition(value)) return value;
  } catch {
    /* fall through */
  }
  throw badUserInput('after is not a cursor this list returned', 'after');
}

/**
 * Builds a connection from a page fetched with `size + 1` rows: the extra row only tells
 * whether another page exists.
 */
export function toConnection<Node>(
  rows: Node[],
  size: number,
  cursorOf: (node: Node) => unknown,
): Connection<Node> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
