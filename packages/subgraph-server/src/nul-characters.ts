import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { ErrorCode, platformError } from '@platform/errors';

/**
 * Refuses, before anything executes, an operation whose arguments hold the NUL character
 * (U+0000) in any string, however deep (input objects, lists, JSON scalars, entity
 * representations), given inline or through variables. PostgreSQL refuses NUL in `text` and the
 * MongoDB-wire store in strings, so without this such an input reached the store and came back as
 * INTERNAL_SERVER_ERROR. No subgraph field has a use for NUL, so one check in front of every
 * subgraph covers every string argument there is and every one added later, which no set of
 * per-argument checks in the domain modules can promise.
 *
 * The error is BAD_USER_INPUT with `extensions.argument` the argument's path (`input.title`,
 * `email`, `representations.0.id`). It is answered with HTTP 200, as the resolvers' errors are:
 * the gateway forwards a subgraph's GraphQL errors with their codes only from a 2xx answer.
 */
export const nulCharacterGuard: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, operation }) {
        const variables = request.variables ?? {};
        // Cheap first: no NUL in any variable and no escape in the source means none anywhere.
        if (!holdsNul(variables) && !request.query?.includes('\\u')) return;
        const argument = argumentWithNul(document, operation, variables);
        if (argument === undefined) return;
        throw platformError(
          ErrorCode.BadUserInput,
          `${argument} must not contain the NUL character (U+0000)`,
          { argument, http: { status: 200 } },
        );
      },
    };
  },
};

function holdsNul(value: unknown): boolean {
  return pathInValue(value, '') !== undefined;
}

/**
 * The path of the first string (or object key) holding NUL in a runtime (variable) value. Walked
 * with a stack of its own, not by recursion: a value nested thousands deep (a JSON body) must get
 * its own refusal from the domain, not a stack overflow here.
 */
function pathInValue(value: unknown, path: string): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) return next.path;
    } else if (next.value !== null && typeof next.value === 'object') {
      const entries = Object.entries(next.value);
      // Pushed last first, so the first argument in the value is the one reported.
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index]!;
        const at = `${next.path}.${key}`;
        if (key.includes('\u0000')) return at;
        pending.push({ value: item, path: at });
      }
    }
  }
  return undefined;
}

function argumentWithNul(
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  variables: Record<string, unknown>,
): string | undefined {
  const defaults = new Map(
    (operation?.variableDefinitions ?? []).map((definition) => [
      definition.variable.name.value,
      definition.defaultValue,
    ]),
  );
  const inNode = (node: ValueNode, path: string): string | undefined => {
    switch (node.kind) {
      case Kind.STRING:
        return node.value.includes('\u0000') ? path : undefined;
      case Kind.LIST:
        for (const [index, item] of node.values.entries()) {
          const found = inNode(item, `${path}.${index}`);
          if (found) return found;
        }
        return undefined;
      case Kind.OBJECT:
        for (const field of node.fields) {
          const found = inNode(field.value, `${path}.${field.name.value}`);
          if (found) return found;
        }
        return undefined;
      case Kind.VARIABLE: {
        const name = node.name.value;
        if (name in variables) return pathInValue(variables[name], path);
        const fallback = defaults.get(name);
        return fallback ? inNode(fallback, path) : undefined;
      }
      default:
        return undefined;
    }
  };

  let found: string | undefined;
  visit(document, {
    // Only the operation that runs (and the fragments it may spread) can reach a store.
    OperationDefinition: (node) => (node === operation ? undefined : false),
    Argument(node) {
      found ??= inNode(node.value, node.name.value);
    },
  });
  return found;
}
