import { Kind, Lexer, parse, Source, TokenKind, type OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';

export type SubgraphOperationType = `${OperationTypeNode}`;

/** Documents that do not start with their operation, classified by a full parse, remembered. */
const parsedTypes = new LRUCache<string, SubgraphOperationType | 'unknown'>({ max: 500 });

/** A word that may open another operation later in the document. */
const OTHER_OPERATION_KEYWORD = /\b(?:mutation|subscription)\b/;

/**
 * The operation type of a subgraph request's `query` string, as the query planner writes it
 * (`query Name__data__0 { ... }`, `mutation ...`, or a bare `{ ... }`): the first token decides,
 * so this costs a few characters of lexing. A document that starts elsewhere (a fragment first),
 * or a query whose text also holds the word `mutation` or `subscription`, is parsed once and
 * remembered. Anything unreadable, or holding operations of several types, is `undefined`:
 * callers treat it as "not known to be a query", so it is never retried.
 */
export function subgraphOperationType(
  query: string | undefined,
): SubgraphOperationType | undefined {
  if (!query) return undefined;
  try {
    const first = new Lexer(new Source(query)).advance();
    const opensQuery =
      first.kind === TokenKind.BRACE_L ||
      (first.kind === TokenKind.NAME && first.value === 'query');
    if (opensQuery && !OTHER_OPERATION_KEYWORD.test(query)) return 'query';
    if (
      first.kind === TokenKind.NAME &&
      (first.value === 'mutation' || first.value === 'subscription')
    ) {
      return first.value;
    }
  } catch {
    return undefined; // not even lexable
  }
  let type = parsedTypes.get(query);
  if (type === undefined) {
    type = operationTypeOfDocument(query);
    parsedTypes.set(query, type);
  }
  return type === 'unknown' ? undefined : type;
}

function operationTypeOfDocument(query: string): SubgraphOperationType | 'unknown' {
  let document;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return 'unknown';
  }
  const types = new Set(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? [definition.operation] : [],
    ),
  );
  const [only] = types;
  return types.size === 1 && only !== undefined ? only : 'unknown';
}

/** Only queries are safe to send twice: a mutation (or anything unknown) is sent exactly once. */
export const isRetryableOperation = (query: string | undefined): boolean =>
  subgraphOperationType(query) === 'query';
