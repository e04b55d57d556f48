import { badUserInput } from '@platform/errors';

/** Free text a client sends, trimmed and held to a length. */
export function requiredText(value: string, argument: string, maxLength: number): string {
  const text = value.trim();
  if (text.length < 1 || text.length > maxLength) {
    throw badUserInput(`${argument} must be 1 to ${maxLength} characters`, argument);
  }
  return text;
}

/** Optional free text: blank becomes null. */
export function optionalText(
  value: string | null | undefined,
  argument: string,
  maxLength: number,
): string | null {
  const text = value?.trim() ?? '';
  if (text.length > maxLength) {
    throw badUserInput(`${argument} must be at most ${maxLength} characters`, argument);
  }
  return text || null;
}

/** An id of another subgraph's entity: taken as it is, but never blank or absurdly long. */
export function foreignId(value: string, argument: string): string {
  if (value.trim().length === 0 || value.length > 200) {
    throw badUserInput(`${argument} is not an id`, argument);
  }
  return value;
}

/** A filter's search text, matched literally; empty means no filter. */
export function searchText(
  value: string | null | undefined,
  argument: string,
  maxLength = 200,
): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (value.length > maxLength) {
    throw badUserInput(`${argument} must be at most ${maxLength} characters`, argument);
  }
  return value;
}
