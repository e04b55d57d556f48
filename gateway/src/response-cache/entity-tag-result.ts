import { isCacheField, isCacheIdField, TYPENAME_ALIAS } from './entity-tag-document.js';

/**
 * Reads the entity tags (`Document:42`) of a result of a document from `tagDocument`, and removes
 * every field `tagDocument` added, in place, so the result is what the client asked for.
 */
export function takeEntityTags(data: unknown, tags: Set<string> = new Set()): Set<string> {
  if (Array.isArray(data)) {
    for (const item of data) takeEntityTags(item, tags);
    return tags;
  }
  if (data === null || typeof data !== 'object') return tags;

  const object = data as Record<string, unknown>;
  const typename = object[TYPENAME_ALIAS];
  for (const key of Object.keys(object)) {
    if (!isCacheField(key)) {
      takeEntityTags(object[key], tags);
      continue;
    }
    const id = object[key];
    if (
      isCacheIdField(key) &&
      typeof typename === 'string' &&
      (typeof id === 'string' || typeof id === 'number')
    ) {
      tags.add(`${typename}:${id}`);
    }
    delete object[key];
  }
  return tags;
}
