import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Change } from '@graphql-inspector/core';

/**
 * `schema/intended-breaking-changes.json`: the breaking changes of the public API a release
 * accepts on purpose. Each entry names one change as the check prints it (its path, and its type
 * or message to tell apart changes at one path) and says why it is acceptable.
 */
const intendedBreakSchema = z
  .object({
    path: z.string().min(1),
    type: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
    reason: z.string().trim().min(1, 'say why this break is acceptable'),
  })
  .strict();

const intendedBreaksFileSchema = z
  .object({
    $comment: z.string().optional(),
    changes: z.array(intendedBreakSchema),
  })
  .strict();

export type IntendedBreak = z.infer<typeof intendedBreakSchema>;

export class IntendedBreaksFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'IntendedBreaksFileError';
  }
}

/** The accepted breaks of `file`; a missing file accepts none. */
export async function readIntendedBreaks(file: string): Promise<IntendedBreak[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IntendedBreaksFileError(file, `not JSON (${(error as Error).message})`);
  }
  const parsed = intendedBreaksFileSchema.safeParse(json);
  if (!parsed.success) throw new IntendedBreaksFileError(file, z.prettifyError(parsed.error));
  return parsed.data.changes;
}

/** Whether `entry` names `change`: same path, and same type and message where the entry gives them. */
export function namesChange(entry: IntendedBreak, change: Change): boolean {
  return (
    entry.path === change.path &&
    (entry.type === undefined || entry.type === change.type) &&
    (entry.message === undefined || entry.message === change.message)
  );
}
