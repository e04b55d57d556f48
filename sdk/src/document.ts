import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';

/**
 * A typed operation: codegen's `TypedDocumentString` (a `String` subclass, `documentMode:
 * 'string'`), a plain string cast to it, or a `TypedDocumentNode` parsed elsewhere (its source text
 * is read from `loc`, so the SDK itself never needs graphql-js).
 */
// codegen's TypedDocumentString extends the String wrapper object, so the type must name it.
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> &
  // eslint-disable-next-line @typescript-eslint/no-wrapper-object-types
  (string | String | { loc?: { source: { body: string } } });

export type ResultOf<T> = T extends DocumentTypeDecoration<infer R, unknown> ? R : never;
export type VariablesOf<T> = T extends DocumentTypeDecoration<unknown, infer V> ? V : never;

export function documentText(document: TypedDocument<unknown, unknown>): string {
  if (typeof document === 'string') return document;
  if (document instanceof String) return document.toString();
  const body = (document as { loc?: { source: { body: string } } }).loc?.source.body;
  if (typeof body === 'string') return body;
  throw new TypeError(
    'Unsupported document: pass a string document or a TypedDocumentNode with loc',
  );
}

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface OperationInfo {
  kind: OperationKind;
  name: string | undefined;
}

const infos = new Map<string, OperationInfo>();

/** The kind and name of a document's operation, read once per document text. */
export function operationInfo(text: string): OperationInfo {
  let info = infos.get(text);
  if (!info) {
    info = readOperationInfo(text);
    // Documents are the application's own, a bounded set; a generated one per call is not cached.
    if (infos.size < 1000) infos.set(text, info);
  }
  return info;
}

/**
 * The kind and name of the document's first operation, found by a small scan (comments and strings
 * skipped, only definitions at brace depth 0 considered) so that no GraphQL parser ships.
 */
function readOperationInfo(text: string): OperationInfo {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (char === '"') {
      if (text.startsWith('"""', i)) {
        const end = text.indexOf('"""', i + 3);
        i = end < 0 ? text.length : end + 3;
      } else {
        i++;
        while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
        i++;
      }
      continue;
    }
    if (char === '{') {
      if (depth === 0) return { kind: 'query', name: undefined };
      depth++;
    } else if (char === '}') depth--;
    else if (depth === 0 && /[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      if (word === 'query' || word === 'mutation' || word === 'subscription') {
        const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i + word.length))?.[1];
        return { kind: word, name };
      }
      if (word === 'fragment') {
        // skip the whole fragment definition
        const open = text.indexOf('{', i);
        if (open < 0) break;
        let d = 0;
        let j = open;
        for (; j < text.length; j++) {
          if (text[j] === '{') d++;
          else if (text[j] === '}' && --d === 0) break;
        }
        i = j + 1;
        continue;
      }
      i += word.length;
      continue;
    }
    i++;
  }
  return { kind: 'query', name: undefined };
}
