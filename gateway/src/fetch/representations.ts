import type { GraphQLFormattedError } from 'graphql';
import { canonicalJson } from '../response-cache/index.js';

/** What the gateway gets back from a subgraph fetch (a GatewayGraphQLResponse, loosely typed). */
interface EntitiesResponse {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<GraphQLFormattedError>;
}

export interface DistinctRepresentations {
  /** The fetch's variables with each distinct representation once, in first-seen order. */
  variables: Record<string, unknown>;
  /** How many representations the fetch had before, and how many it sends. */
  counts: { sent: number; original: number };
  /**
   * The subgraph's answer to the distinct representations, turned back into the answer to the
   * original list: `_entities[i]` and every error at `["_entities", i, ...]` go to each original
   * position that had the i-th distinct representation.
   */
  expand<Response extends EntitiesResponse>(response: Response): Response;
}

/**
 * An `_entities` fetch sends one representation per entity in the client's response, so 50
 * documents by 2 authors ask the user subgraph for the same 2 users 50 times. This sends each
 * distinct representation once: two are the same when their JSON with sorted keys is the same,
 * so key order does not matter. Undefined when the fetch has no duplicate representations.
 */
export function distinctRepresentations(
  variables: Record<string, unknown> | undefined,
): DistinctRepresentations | undefined {
  const representations = variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return undefined;

  const indexOfKey = new Map<string, number>();
  const distinct: unknown[] = [];
  /** For each original position, the index of its representation among the distinct ones. */
  const sentIndexOf = representations.map((representation) => {
    const key = canonicalJson(representation);
    let index = indexOfKey.get(key);
    if (index === undefined) {
      index = distinct.push(representation) - 1;
      indexOfKey.set(key, index);
    }
    return index;
  });
  if (distinct.length === representations.length) return undefined;

  return {
    variables: { ...variables, representations: distinct },
    counts: { sent: distinct.length, original: representations.length },
    expand: (response) => expandEntities(response, sentIndexOf),
  };
}

function expandEntities<Response extends EntitiesResponse>(
  response: Response,
  sentIndexOf: readonly number[],
): Response {
  const entities = response.data?._entities;
  let data = response.data;
  if (Array.isArray(entities)) {
    // The gateway merges each entity into its place in the client's response, and later fetches
    // merge into those objects: every position gets its own copy, not a shared one.
    const seen = new Set<number>();
    const expanded = sentIndexOf.map((index) => {
      const entity: unknown = entities[index];
      if (!seen.has(index)) {
        seen.add(index);
        return entity;
      }
      return entity !== null && typeof entity === 'object' ? structuredClone(entity) : entity;
    });
    data = { ...response.data, _entities: expanded };
  }
  const errors = response.errors && expandErrors(response.errors, sentIndexOf);
  return { ...response, data, ...(errors ? { errors } : {}) };
}

function expandErrors(
  errors: ReadonlyArray<GraphQLFormattedError>,
  sentIndexOf: readonly number[],
): GraphQLFormattedError[] {
  const originalsOf = new Map<number, number[]>();
  sentIndexOf.forEach((sentIndex, original) => {
    const originals = originalsOf.get(sentIndex);
    if (originals) originals.push(original);
    else originalsOf.set(sentIndex, [original]);
  });
  return errors.flatMap((error) => {
    const [field, sentIndex, ...rest] = error.path ?? [];
    if (field !== '_entities' || typeof sentIndex !== 'number') return [error];
    const originals = originalsOf.get(sentIndex);
    if (!originals) return [error];
    return originals.map((original) => ({ ...error, path: ['_entities', original, ...rest] }));
  });
}
