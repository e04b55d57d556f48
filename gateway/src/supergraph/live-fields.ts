import {
  Kind,
  parse,
  print,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type FieldNode,
} from 'graphql';
import { channelArguments } from '@platform/realtime';

/** The directive a subgraph puts on a Subscription field to have the gateway serve it. */
export const LIVE_DIRECTIVE = 'live';

/**
 * A Subscription field a subgraph declared `@live` (see the directive's definition in
 * subgraphs/data/schema.graphql and the gateway README, "Live fields"), read from the supergraph.
 * Each field call is parsed from its template: its variables name the subscription field's
 * arguments, or what the gateway supplies (`$id` for `resolve`; `$since` and `$first` for `since`).
 */
export interface LiveField {
  /** The Subscription field, e.g. `documentChanged`. */
  field: string;
  /** The Redis channel template, e.g. `documents:project:{projectId}`. */
  channel: string;
  /** `project(id: $projectId)`: non-null for a subscriber who may subscribe. */
  authorize: FieldNode;
  /** `document(id: $id)`: one message's entity, null when the subscriber may not see it. */
  resolve: FieldNode;
  /** `documentChangesSince(projectId: $projectId, since: $since, first: $first)`, if declared. */
  since?: FieldNode;
  /** The entity's field that holds its cursor, selected in replays (`changeCursor`). */
  cursor: string;
}

/** The supergraph's live fields, and the declarations it had to skip, each with why. */
export interface LiveFields {
  fields: ReadonlyMap<string, LiveField>;
  problems: string[];
}

/** Variables the gateway itself supplies, per field call. */
const GATEWAY_VARIABLES = {
  authorize: [] as string[],
  resolve: ['id'],
  since: ['since', 'first'],
};

/** Reads every `@live` Subscription field of a supergraph SDL; a bad declaration is skipped. */
export function readLiveFields(
  document: DocumentNode,
  subscriptionType = 'Subscription',
): LiveFields {
  const fields = new Map<string, LiveField>();
  const problems: string[] = [];
  for (const definition of document.definitions) {
    if (
      (definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
        definition.kind !== Kind.OBJECT_TYPE_EXTENSION) ||
      definition.name.value !== subscriptionType
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find((d) => d.name.value === LIVE_DIRECTIVE);
      if (!directive) continue;
      const live = readDeclaration(field, directive);
      if (typeof live === 'string') problems.push(`${field.name.value}: ${live}`);
      else fields.set(live.field, live);
    }
  }
  return { fields, problems };
}

function readDeclaration(
  field: FieldDefinitionNode,
  directive: ConstDirectiveNode,
): LiveField | string {
  const argumentNames = new Set((field.arguments ?? []).map((argument) => argument.name.value));
  const channel = stringArgument(directive, 'channel');
  if (!channel) return 'channel is missing';
  const unknownInChannel = channelArguments(channel).filter((name) => !argumentNames.has(name));
  if (unknownInChannel.length > 0) {
    return `channel names ${unknownInChannel.join(', ')}, not arguments of the field`;
  }

  const calls: Partial<Record<keyof typeof GATEWAY_VARIABLES, FieldNode>> = {};
  for (const role of ['authorize', 'resolve', 'since'] as const) {
    const template = stringArgument(directive, role);
    if (template === undefined) {
      if (role !== 'since') return `${role} is missing`;
      continue;
    }
    const call = fieldCall(template);
    if (!call) return `${role} is not one field call: ${template}`;
    // `$since` is the gateway's cursor in the since query, and means nothing in the others.
    const allowed = new Set<string>([...argumentNames].filter((name) => name !== 'since'));
    for (const name of GATEWAY_VARIABLES[role]) allowed.add(name);
    const unknown = variablesOf(call).filter((name) => !allowed.has(name));
    if (unknown.length > 0) {
      return `${role} uses $${unknown.join(', $')}, neither an argument of the field nor the gateway's`;
    }
    if (role === 'resolve' && !variablesOf(call).includes('id')) return 'resolve must use $id';
    if (role === 'since' && !variablesOf(call).includes('since')) return 'since must use $since';
    calls[role] = call;
  }
  if (calls.since && !argumentNames.has('since')) {
    return 'a field with a since query needs a since argument (the cursor to resume after)';
  }
  return {
    field: field.name.value,
    channel,
    authorize: calls.authorize!,
    resolve: calls.resolve!,
    ...(calls.since && { since: calls.since }),
    cursor: stringArgument(directive, 'cursor') ?? 'cursor',
  };
}

/** `name(arg: $value)` as a field node; undefined unless it is exactly one field, no selection. */
function fieldCall(template: string): FieldNode | undefined {
  let document: DocumentNode;
  try {
    document = parse(`{ ${template} }`, { noLocation: true });
  } catch {
    return undefined;
  }
  const [operation, ...others] = document.definitions;
  if (others.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION) return undefined;
  const [selection, ...rest] = operation.selectionSet.selections;
  if (rest.length > 0 || selection?.kind !== Kind.FIELD) return undefined;
  if (selection.selectionSet || selection.alias || selection.directives?.length) return undefined;
  return selection;
}

export function variablesOf(call: FieldNode): string[] {
  const names = new Set<string>();
  visit(call, {
    Variable(variable) {
      names.add(variable.name.value);
    },
  });
  return [...names];
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === name);
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}

/** A field call as GraphQL text (for logs and tests). */
export const printCall = (call: FieldNode): string => print(call);
