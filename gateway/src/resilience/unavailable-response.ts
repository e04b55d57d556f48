import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { ConcurrencyLimitedError } from './concurrency-limit.js';
import { CONCURRENCY_LIMIT_EXCEEDED } from './principal-fetch-limit.js';
import { SUBGRAPH_UNAVAILABLE, type SubgraphUnavailableError } from './subgraph-failure.js';

/** Enough errors to show what is missing without flooding a response over a long list. */
const MAX_ERRORS = 100;

/** Failed fetches repeat (an open breaker refuses the same plans over and over): parse once. */
const documents = new LRUCache<string, DocumentNode | 'unparsable'>({ max: 500 });

type ErrorPath = (string | number)[];

interface SubgraphRequest {
  query?: string;
  variables?: Record<string, unknown>;
}

/**
 * What the gateway gets instead of a subgraph's answer when the subgraph is unavailable: no data,
 * and one SUBGRAPH_UNAVAILABLE error per field the fetch would have filled. The paths are relative
 * to the fetch, as a subgraph's own errors are (`["me"]` for a root field,
 * `["_entities", 0, "seenBy"]` for an entity field), so the gateway places them at the fields of
 * the client's response, and the data of the other subgraphs is kept.
 */
export function subgraphUnavailableResponse(
  request: SubgraphRequest,
  failure: SubgraphUnavailableError,
): { data: null; errors: GraphQLFormattedError[] } {
  return missingFieldsResponse(request, failure.message, {
    code: SUBGRAPH_UNAVAILABLE,
    subgraph: failure.subgraph,
  });
}

/**
 * What the gateway gets instead of a fetch the per-principal limit shed: the same shape as an
 * unavailable subgraph's, with CONCURRENCY_LIMIT_EXCEEDED (the caller's own load, not the
 * subgraph's health).
 */
export function shedFetchResponse(
  request: SubgraphRequest,
  subgraph: string,
  shed: ConcurrencyLimitedError,
): { data: null; errors: GraphQLFormattedError[] } {
  return missingFieldsResponse(
    request,
    `Too many requests of yours are in flight to subgraph "${subgraph}": ${shed.message}; send fewer at once and retry`,
    { code: CONCURRENCY_LIMIT_EXCEEDED, subgraph, limit: shed.limit },
  );
}

function missingFieldsResponse(
  request: SubgraphRequest,
  message: string,
  extensions: Record<string, unknown>,
): { data: null; errors: GraphQLFormattedError[] } {
  const paths = missingFieldPaths(request, MAX_ERRORS);
  const errors =
    paths.length > 0
      ? paths.map((path) => ({ message, path, extensions }))
      : [{ message, extensions }];
  return { data: null, errors };
}

/** The paths, in the subgraph's response, of the (first `limit`) fields a request asked for. */
export function missingFieldPaths(
  { query, variables }: SubgraphRequest,
  limit = Infinity,
): ErrorPath[] {
  const document = query ? parsedDocument(query) : undefined;
  if (!document) return [];
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );

  const paths: ErrorPath[] = [];
  for (const field of fieldsOf(operation.selectionSet, fragments)) {
    if (field.name !== '_entities' || !field.selectionSet) {
      paths.push([field.responseName]);
      continue;
    }
    const representations: unknown[] = Array.isArray(variables?.representations)
      ? variables.representations
      : [];
    for (const [index, representation] of representations.entries()) {
      if (paths.length >= limit) break;
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      for (const entityField of entityFieldsOf(field.selectionSet, fragments, typename)) {
        paths.push([field.responseName, index, entityField]);
      }
    }
  }
  return paths.slice(0, limit);
}

function parsedDocument(query: string): DocumentNode | undefined {
  let document = documents.get(query);
  if (document === undefined) {
    try {
      document = parse(query, { noLocation: true });
    } catch {
      document = 'unparsable';
    }
    documents.set(query, document);
  }
  return document === 'unparsable' ? undefined : document;
}

interface SelectedField {
  name: string;
  responseName: string;
  selectionSet?: SelectionSetNode;
  /** The type condition of the inline fragment or fragment it was selected through, if any. */
  onType?: string;
}

/** The fields a selection set selects, through its fragments, without `__typename`. */
function fieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  onType?: string,
  visited = new Set<string>(),
): SelectedField[] {
  return selectionSet.selections.flatMap((selection): SelectedField[] => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === '__typename'
          ? []
          : [
              {
                name: selection.name.value,
                responseName: selection.alias?.value ?? selection.name.value,
                selectionSet: selection.selectionSet,
                onType,
              },
            ];
      case Kind.INLINE_FRAGMENT:
        return fieldsOf(
          selection.selectionSet,
          fragments,
          selection.typeCondition?.name.value ?? onType,
          visited,
        );
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) return [];
        return fieldsOf(
          fragment.selectionSet,
          fragments,
          fragment.typeCondition.name.value,
          new Set([...visited, fragment.name.value]),
        );
      }
    }
  });
}

/**
 * The response names an `_entities` selection asks of one representation: the fields selected
 * on its `__typename`, or every field when none names it (an interface condition).
 */
function entityFieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  typename: unknown,
): string[] {
  const fields = fieldsOf(selectionSet, fragments);
  const ofType = fields.filter((field) => field.onType === undefined || field.onType === typename);
  return [...new Set((ofType.length > 0 ? ofType : fields).map((field) => field.responseName))];
}
