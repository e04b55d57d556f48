import {
  Kind,
  OperationTypeNode,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
} from 'graphql';
import { readLiveFields, type LiveFields } from './live-fields.js';

/** Root fields tagged `@tag(name: "public")` in a subgraph may be called without credentials. */
export const PUBLIC_TAG = 'public';

/** What the gateway's own steps need to know about the supergraph it currently serves. */
export interface SupergraphFacts {
  /** Per operation type, the root fields anonymous callers may select. */
  publicRootFields: ReadonlyMap<OperationTypeNode, ReadonlySet<string>>;
  /** Each subgraph's routing URL as composed, by subgraph name (before any override). */
  routingUrls: ReadonlyMap<string, string>;
  /** The Subscription fields subgraphs declared `@live`, served by `subscriptions/live/`. */
  liveFields: LiveFields;
}

const DEFAULT_ROOT_TYPES: Record<OperationTypeNode, string> = {
  [OperationTypeNode.QUERY]: 'Query',
  [OperationTypeNode.MUTATION]: 'Mutation',
  [OperationTypeNode.SUBSCRIPTION]: 'Subscription',
};

/** Reads the facts from a supergraph SDL as `npm run compose` writes it. */
export function readSupergraphFacts(supergraphSdl: string): SupergraphFacts {
  const document = parse(supergraphSdl);
  return {
    publicRootFields: publicRootFields(document),
    routingUrls: routingUrls(document),
    liveFields: readLiveFields(document, rootTypes(document).get(OperationTypeNode.SUBSCRIPTION)),
  };
}

function rootTypes(document: DocumentNode): Map<OperationTypeNode, string> {
  const types = new Map(Object.entries(DEFAULT_ROOT_TYPES)) as Map<OperationTypeNode, string>;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) {
      continue;
    }
    for (const { operation, type } of definition.operationTypes ?? []) {
      types.set(operation, type.name.value);
    }
  }
  return types;
}

function publicRootFields(document: DocumentNode): Map<OperationTypeNode, Set<string>> {
  const result = new Map<OperationTypeNode, Set<string>>();
  for (const [operation, typeName] of rootTypes(document)) {
    const fields = new Set<string>();
    for (const definition of document.definitions) {
      if (
        (definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
          definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
        definition.name.value === typeName
      ) {
        for (const field of definition.fields ?? []) {
          if (field.directives?.some(isPublicTag)) fields.add(field.name.value);
        }
      }
    }
    result.set(operation, fields);
  }
  return result;
}

function isPublicTag(directive: ConstDirectiveNode): boolean {
  return directive.name.value === 'tag' && stringArgument(directive, 'name') === PUBLIC_TAG;
}

/** `enum join__Graph { USER @join__graph(name: "user", url: "http://...") }` */
function routingUrls(document: DocumentNode): Map<string, string> {
  const urls = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') {
      continue;
    }
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const name = graph && stringArgument(graph, 'name');
      const url = graph && stringArgument(graph, 'url');
      if (name && url) urls.set(name, url);
    }
  }
  return urls;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === name);
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}
