import { DateTimeResolver } from 'graphql-scalars';
import { badUserInput } from '@platform/errors';

/** A DateTime argument as sent (see date-time-scalar.ts), parsed as graphql-scalars parses it. */
export function requireDateTime(value: unknown, argument: string): Date {
  try {
    const parsed: unknown = DateTimeResolver.parseValue(value);
    if (parsed instanceof Date && !Number.isNaN(parsed.getTime())) return parsed;
  } catch {
    // refused below, with the argument's name
  }
  throw badUserInput(
    `${argument} must be a date-time with a time zone (RFC 3339), such as 2026-01-31T09:00:00Z`,
    argument,
  );
}
