/**
 * How the gateway orders notification cursors, the one place that knows their format. The
 * notification subgraph makes a cursor from the notification's id (a counter that increases per
 * recipient in commit order) as 20 zero-padded decimal digits, "00000000000000000042"; clients treat
 * it as opaque. The gateway compares the numbers, so a cursor without the padding orders the same.
 */
const DECIMAL_CURSOR = /^\d{1,20}$/;
const CURSOR_DIGITS = 20;

/** A cursor's place in its recipient's order; undefined for anything that is not a cursor. */
export type CursorPosition = bigint;

export function cursorPosition(cursor: string): CursorPosition | undefined {
  return DECIMAL_CURSOR.test(cursor) ? BigInt(cursor) : undefined;
}

/** The cursor of a position, as the notification subgraph writes it. */
export function cursorAt(position: CursorPosition): string {
  return position.toString().padStart(CURSOR_DIGITS, '0');
}

/** Whether `position` comes after `last` (everything comes after nothing). */
export function isAfter(position: CursorPosition, last: CursorPosition | undefined): boolean {
  return last === undefined || position > last;
}
