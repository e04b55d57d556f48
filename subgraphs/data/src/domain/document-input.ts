import { badUserInput, nestsWithin } from '@platform/errors';
import type { DocumentChanges } from '../repositories/index.js';
import { requiredText } from './input.js';

export const MAX_TITLE_LENGTH = 500;
/** Serialized size limit of a body: generous for structured content, far below Mongo's 16 MB. */
export const MAX_BODY_BYTES = 256 * 1024;
/**
 * How deeply a body's objects and arrays may nest (`{"a":{"b":1}}` is 2): far beyond any
 * structured content, and shallow enough that no recursive JSON code anywhere can run out of stack.
 */
export const MAX_BODY_DEPTH = 64;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 100;

export interface CreateDocumentInput {
  projectId: string;
  title: string;
  body?: unknown;
  tags?: readonly string[] | null;
}

/** Omitted fields (undefined) stay as they are; an explicit null body clears the body. */
export interface DocumentPatch {
  title?: string | null;
  body?: unknown;
  tags?: readonly string[] | null;
}

export function documentTitle(value: string, argument = 'title'): string {
  return requiredText(value, argument, MAX_TITLE_LENGTH);
}

/** The body as stored: JSON text, or null for none. */
export function documentBodyJson(value: unknown, argument = 'body'): string | null {
  if (value === null || value === undefined) return null;
  // Before JSON.stringify, which recurses: 5,000 levels overflowed the stack (a 500).
  if (!nestsWithin(value, MAX_BODY_DEPTH)) {
    throw badUserInput(
      `${argument} may nest objects and arrays at most ${MAX_BODY_DEPTH} levels deep`,
      argument,
    );
  }
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json, 'utf8') > MAX_BODY_BYTES) {
    throw badUserInput(
      `${argument} must be at most ${MAX_BODY_BYTES / 1024} KiB as JSON`,
      argument,
    );
  }
  return json;
}

/** Tags trimmed, without blanks or repeats, at most MAX_TAGS of at most MAX_TAG_LENGTH. */
export function documentTags(
  value: readonly string[] | null | undefined,
  argument = 'tags',
): string[] {
  const tags = [...new Set((value ?? []).map((tag) => tag.trim()).filter(Boolean))];
  if (tags.length > MAX_TAGS) {
    throw badUserInput(`${argument} may hold at most ${MAX_TAGS} tags`, argument);
  }
  if (tags.some((tag) => tag.length > MAX_TAG_LENGTH)) {
    throw badUserInput(`each tag must be at most ${MAX_TAG_LENGTH} characters`, argument);
  }
  return tags;
}

/** The changes a patch asks for; BAD_USER_INPUT for an empty patch or a null it cannot take. */
export function documentChanges(patch: DocumentPatch): DocumentChanges {
  const changes: DocumentChanges = {};
  if (patch.title !== undefined) {
    if (patch.title === null) throw badUserInput('patch.title cannot be null', 'patch.title');
    changes.title = documentTitle(patch.title, 'patch.title');
  }
  if (patch.body !== undefined) changes.bodyJson = documentBodyJson(patch.body, 'patch.body');
  if (patch.tags !== undefined) {
    if (patch.tags === null) throw badUserInput('patch.tags cannot be null', 'patch.tags');
    changes.tags = documentTags(patch.tags, 'patch.tags');
  }
  if (Object.keys(changes).length === 0) {
    throw badUserInput('patch must change at least one of title, body, tags', 'patch');
  }
  return changes;
}

/** The body as clients see it. */
export function documentBody(document: { bodyJson: string | null }): unknown {
  return document.bodyJson === null ? null : JSON.parse(document.bodyJson);
}
