import { badUserInput } from '@platform/errors';

/**
 * A notification's cursor is its id (a bigserial: increasing, and per recipient in commit order)
 * as 20 decimal digits, zero-padded: "00000000000000000042". Clients treat it as opaque; the
 * gateway may compare two cursors as strings or as integers and get the same answer.
 */
const CURSOR_DIGITS = 20;
const MAX_BIGINT = 9223372036854775807n;
const DECIMAL = /^\d{1,20}$/;

export function cursorOf(id: string): string {
  return id.padStart(CURSOR_DIGITS, '0');
}

/** The id a cursor stands for, in canonical decimal ("42"); undefined for anything else. */
function idOfDecimal(value: string): string | undefined {
  if (!DECIMAL.test(value)) return undefined;
  const id = BigInt(value);
  return id <= MAX_BIGINT ? id.toString() : undefined;
}

/**
 * The id after which a list continues. Accepts what `cursorOf` returns (and any decimal id);
 * anything else is BAD_USER_INPUT naming `argument`.
 */
export function parseCursor(
  value: string | null | undefined,
  argument: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  const id = idOfDecimal(value);
  if (id === undefined) throw badUserInput(`${argument} is not a notification cursor`, argument);
  return id;
}

/** A Notification id from a client in canonical form; undefined when it cannot be one. */
export function parseNotificationId(value: string): string | undefined {
  const id = idOfDecimal(value);
  return id === '0' ? undefined : id;
}
