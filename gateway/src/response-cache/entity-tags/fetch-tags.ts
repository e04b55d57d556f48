import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ENTITY_TAGS_EXTENSION } from '@platform/subgraph-server';
import { entityTagsRecorder, type RequestEntityTags } from './request-tags.js';

interface SubgraphAnswer {
  extensions?: Record<string, unknown>;
}

/**
 * Records the entities one subgraph fetch touched, without changing what was asked:
 * - the representations an `_entities` fetch sends carry `__typename` and the key fields;
 * - the subgraph reports the entities it resolved in its response's `entityTags` extension, asked
 *   for by the data source's `x-gateway-entity-tags` header (`@platform/subgraph-server` answers
 *   it for the platform's subgraphs); the extension is removed here so it
 *   never reaches the client. A subgraph that does not report makes the response untagged.
 */
export function recordSubgraphFetch(
  recorded: RequestEntityTags,
  subgraph: string,
  variables: Readonly<Record<string, unknown>> | undefined,
  answer: SubgraphAnswer,
): void {
  const representations = variables?.representations;
  if (Array.isArray(representations)) {
    for (const representation of representations) {
      const tag = tagOfRepresentation(representation);
      if (tag) recorded.tags.add(tag);
    }
  }

  const reported = answer.extensions?.[ENTITY_TAGS_EXTENSION];
  if (Array.isArray(reported)) {
    for (const tag of reported) if (typeof tag === 'string') recorded.tags.add(tag);
  } else {
    recorded.unreported.add(subgraph);
  }
  if (answer.extensions && ENTITY_TAGS_EXTENSION in answer.extensions) {
    delete answer.extensions[ENTITY_TAGS_EXTENSION];
    if (Object.keys(answer.extensions).length === 0) answer.extensions = undefined;
  }
}

function tagOfRepresentation(representation: unknown): string | undefined {
  if (representation === null || typeof representation !== 'object') return undefined;
  const { __typename: typename, id } = representation as Record<string, unknown>;
  if (typeof typename !== 'string') return undefined;
  return typeof id === 'string' || typeof id === 'number' ? `${typename}:${id}` : undefined;
}

/**
 * What a data source calls after each fetch: records its tags on the client operation it served
 * (fetches outside any operation, such as health checks, have none).
 */
export function recordFetchOfOperation<TContext extends object>(
  options: GraphQLDataSourceProcessOptions<TContext>,
  subgraph: string,
  answer: SubgraphAnswer,
): void {
  if (!('incomingRequestContext' in options)) return;
  recordSubgraphFetch(
    entityTagsRecorder(options.incomingRequestContext),
    subgraph,
    options.request.variables,
    answer,
  );
}
