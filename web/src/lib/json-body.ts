/** What the document form makes of the JSON body text: the value, or why it is not valid. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * An empty text is no body (null); anything else must be one JSON value. The message names the
 * position the browser's parser reports, so the user can find the mistake.
 */
export function parseJsonBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `The body is not valid JSON: ${reason}` };
  }
}

export function formatJsonBody(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** Tags as typed in one field: comma-separated, trimmed, no empties or duplicates. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}
