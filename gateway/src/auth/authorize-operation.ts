import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, platformError, unauthenticated } from '@platform/errors';
import { requireScope, type Principal } from '@platform/identity';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GatewayContext } from '../gateway-context.js';

/** Per operation type, the root fields anonymous callers may select (`@tag(name: "public")`). */
export type PublicRootFields = () => ReadonlyMap<OperationTypeNode, ReadonlySet<string>>;

/** ANONYMOUS_ACCESS: public root fields only, nothing, or everything. */
export type AnonymousAccess = 'public' | 'none' | 'all';

/**
 * Decides, once the operation is parsed and validated and before any subgraph is called, whether
 * the caller may run it:
 * - anonymous callers may select only public root fields (and `__typename`), else 401; with
 *   `anonymousAccess` 'none' nothing but `__typename`, with 'all' anything;
 * - authenticated callers need the `write` scope for a mutation and `read` otherwise, else 403
 *   (users hold both; an API key holds the scopes it was made with).
 * Subgraphs still authorize each field themselves; this is the gateway's coarse gate.
 */
export function authorizeOperation(
  publicRootFields: PublicRootFields,
  anonymousAccess: AnonymousAccess = 'public',
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, request }) {
          // Nothing may run without an operation; refuse here rather than rely on a later step.
          if (!operation) throw unknownOperation(request.operationName);
          authorizeRootFields(contextValue.principal, operation.operation, {
            rootFields: () => operationRootFields(operation, document),
            publicRootFields,
            anonymousAccess,
          });
        },
      };
    },
  };
}

/**
 * The decision itself, on what it needs of an operation: its type and (for anonymous callers) its
 * root fields. The plugin above and the response cache's fast path (which keeps the root fields
 * of each cached operation) both decide with it. Throws the 401/403 the request is refused with.
 */
export function authorizeRootFields(
  principal: Principal,
  operationType: OperationTypeNode,
  {
    rootFields,
    publicRootFields,
    anonymousAccess,
  }: {
    rootFields: () => readonly string[];
    publicRootFields: PublicRootFields;
    anonymousAccess: AnonymousAccess;
  },
): void {
  if (principal.kind === 'anonymous') {
    if (anonymousAccess === 'all') return;
    const allowed =
      (anonymousAccess === 'public' && publicRootFields().get(operationType)) || new Set<string>();
    if (rootFields().some((field) => field !== '__typename' && !allowed.has(field))) {
      throw unauthenticated('Authentication required');
    }
    return;
  }
  requireScope(principal, operationType === OperationTypeNode.MUTATION ? 'write' : 'read');
}

/**
 * Every root field the operation may select, looking through fragments; fields under @skip or
 * @include count too, so a variable cannot smuggle a private field past the check.
 */
export function operationRootFields(
  operation: OperationDefinitionNode,
  document: DocumentNode,
): string[] {
  return [...new Set(rootFieldNames(operation.selectionSet, fragmentsOf(document)))];
}

function unknownOperation(name: string | undefined) {
  return platformError(
    ErrorCode.BadRequest,
    name
      ? `Unknown operation named "${name}"`
      : 'Must provide operation name if query contains multiple operations',
    { http: { status: 400 } },
  );
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  return fragments;
}

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visited = new Set<string>(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection.name.value];
      case Kind.INLINE_FRAGMENT:
        return rootFieldNames(selection.selectionSet, fragments, visited);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visited.has(name)) return [];
        visited.add(name);
        return rootFieldNames(fragment.selectionSet, fragments, visited);
      }
    }
  });
}
