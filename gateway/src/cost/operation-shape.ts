import {
  Kind,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { isIncluded, type VariableValues } from './operation-values.js';

/** The structural measures of an operation, whatever its types. */
export interface OperationShape {
  /** Fields on the longest path from the root (`{ me { id } }` is 2), through fragments. */
  depth: number;
  /** Aliased fields, counted once per place they are spread (like cost). */
  aliases: number;
  /** Fields selected on the root type, through fragments, `__typename` aside. */
  rootFields: number;
}

/** Introspection subtrees: priced flat, their depth bounded by graphql's MaxIntrospectionDepthRule. */
export const INTROSPECTION_ROOT_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type']);

interface SelectionShape {
  depth: number;
  aliases: number;
  /** Fields directly in this selection set (fragments expanded), `__typename` aside. */
  fields: number;
}

const EMPTY: SelectionShape = { depth: 0, aliases: 0, fields: 0 };

export function operationShape(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  values: VariableValues,
): OperationShape {
  // One result per selection set: a fragment spread many times is walked once.
  const memo = new Map<SelectionSetNode, SelectionShape>();
  // Fragments on the current path: a cycle (invalid, but not yet refused) is cut, never followed.
  const expanding = new Set<string>();

  function shapeOf(selectionSet: SelectionSetNode): SelectionShape {
    const known = memo.get(selectionSet);
    if (known) return known;
    let shape = EMPTY;
    for (const selection of selectionSet.selections) {
      if (!isIncluded(selection, values)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const child =
          selection.selectionSet && !INTROSPECTION_ROOT_FIELDS.has(name)
            ? shapeOf(selection.selectionSet)
            : EMPTY;
        shape = combine(shape, {
          depth: 1 + child.depth,
          aliases: (selection.alias ? 1 : 0) + child.aliases,
          fields: name === '__typename' ? 0 : 1,
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        shape = combine(shape, shapeOf(selection.selectionSet));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || expanding.has(name)) continue;
        expanding.add(name);
        shape = combine(shape, shapeOf(fragment.selectionSet));
        expanding.delete(name);
      }
    }
    memo.set(selectionSet, shape);
    return shape;
  }

  const root = shapeOf(operation.selectionSet);
  return { depth: root.depth, aliases: root.aliases, rootFields: root.fields };
}

function combine(a: SelectionShape, b: SelectionShape): SelectionShape {
  return {
    depth: Math.max(a.depth, b.depth),
    aliases: a.aliases + b.aliases,
    fields: a.fields + b.fields,
  };
}
