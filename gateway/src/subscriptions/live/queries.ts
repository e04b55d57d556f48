import {
  Kind,
  getNamedType,
  isLeafType,
  parse,
  print,
  validate,
  visit,
  type FieldNode,
  type GraphQLField,
  type SelectionSetNode,
} from 'graphql';
import { variablesOf, type LiveField } from '../../supergraph/live-fields.js';
import type { PreparedQuery } from '../run-query.js';
import { aliasedField, freshName, selectionParts } from '../selection.js';
import type { SubscriptionRequest } from '../subscription-request.js';

/** How many entities one replay query asks for (the since query's `$first`). */
export const LIVE_REPLAY_PAGE_SIZE = 100;

/** The response key of the one field each rewritten query selects. */
export const ENTITY_KEY = 'entity';

export interface LiveQueries {
  /** `query { entity: <authorize> { __typename } }`: null or an error refuses the subscriber. */
  authorize: PreparedQuery;
  /** `query ($id: ID!) { entity: <resolve with $id> { ...selection } }`: one message. */
  byId: PreparedQuery & { idVariable: string };
  /** `query ($since: String) { entity: <since> { <cursorKey>: <cursor> ...selection } }`. */
  replay?: PreparedQuery & { sinceVariable: string; cursorKey: string };
}

/**
 * Rewrites a subscription of a `@live` field into the queries that serve it through the
 * supergraph, the field calls of its declaration filled in: the subscription's arguments become
 * variables of the same values, `$id` and `$since` the gateway's own (named apart from the
 * subscriber's variables), `$first` the replay page size. The subscriber's selection, its
 * fragments and the variables it uses are kept, as `notifications/queries.ts` does. Returns a
 * message when a query does not validate against the API schema (a declaration the supergraph
 * cannot serve).
 */
export function liveQueries(
  live: LiveField,
  definition: GraphQLField<unknown, unknown>,
  request: SubscriptionRequest,
  argumentValues: Readonly<Record<string, unknown>>,
): LiveQueries | string {
  const { schema, document, operation, root, variables } = request;
  const selectionSet = root.selectionSet as SelectionSetNode;
  const parts = selectionParts(document, operation, selectionSet, variables);
  const taken = new Set(parts.takenVariables);
  const fresh = (name: string) => {
    const chosen = freshName(name, taken);
    taken.add(chosen);
    return chosen;
  };

  // The subscription's arguments (but `since`, the client's cursor) as variables of their own.
  const argumentVariables = new Map<string, { name: string; type: string }>();
  for (const argument of definition.args) {
    if (argument.name === 'since') continue;
    argumentVariables.set(argument.name, {
      name: fresh(argument.name),
      type: String(argument.type),
    });
  }
  const argumentsPassed = Object.fromEntries(
    [...argumentVariables].map(([argument, variable]) => [variable.name, argumentValues[argument]]),
  );
  const idVariable = fresh('id');
  const sinceVariable = fresh('since');

  /** The call with its variables renamed; in the since query, `$first` becomes the page size. */
  const fill = (call: FieldNode, extra: Record<string, string>, paged = false) =>
    visit(call, {
      Variable(variable) {
        const name = variable.name.value;
        if (paged && name === 'first') {
          return { kind: Kind.INT, value: String(LIVE_REPLAY_PAGE_SIZE) };
        }
        const renamed = extra[name] ?? argumentVariables.get(name)?.name;
        return renamed ? { ...variable, name: { kind: Kind.NAME, value: renamed } } : undefined;
      },
    });
  const header = (call: FieldNode, own: string[]) => {
    const used = new Set(variablesOf(call));
    const definitions = [...argumentVariables.values()]
      .filter((variable) => used.has(variable.name))
      .map((variable) => `$${variable.name}: ${variable.type}`);
    return [...own, ...definitions];
  };
  const passedFor = (call: FieldNode) => {
    const used = new Set(variablesOf(call));
    return Object.fromEntries(Object.entries(argumentsPassed).filter(([name]) => used.has(name)));
  };
  const operationName = (suffix: string) => `${capitalized(live.field)}${suffix}`;

  const authorizeCall = fill(live.authorize, {});
  const authorizeType = schema.getQueryType()?.getFields()[live.authorize.name.value]?.type;
  const authorizeSelection =
    authorizeType && isLeafType(getNamedType(authorizeType)) ? '' : ' { __typename }';
  const authorizeVariables = header(authorizeCall, []);
  const authorize: PreparedQuery = {
    operationName: operationName('Authorize'),
    query:
      `query ${operationName('Authorize')}${list(authorizeVariables)} ` +
      `{ ${ENTITY_KEY}: ${print(authorizeCall)}${authorizeSelection} }`,
    variables: passedFor(authorizeCall),
  };

  const resolveCall = fill(live.resolve, { id: idVariable });
  const byId: LiveQueries['byId'] = {
    operationName: operationName('Live'),
    query: parts.withFragments(
      `query ${operationName('Live')}` +
        `${list([...header(resolveCall, [`$${idVariable}: ID!`]), ...parts.variableDefinitions])} ` +
        `{ ${ENTITY_KEY}: ${print(resolveCall)} ${print(selectionSet)} }`,
    ),
    variables: { ...parts.variables, ...passedFor(resolveCall) },
    idVariable,
    shareable: true,
  };

  let replay: LiveQueries['replay'];
  if (live.since) {
    const sinceCall = fill(live.since, { since: sinceVariable }, true);
    const cursorKey = freshName('replayCursor', parts.responseKeys);
    const withCursor: SelectionSetNode = {
      ...selectionSet,
      selections: [aliasedField(cursorKey, live.cursor), ...selectionSet.selections],
    };
    replay = {
      operationName: operationName('Replay'),
      query: parts.withFragments(
        `query ${operationName('Replay')}` +
          `${list([...header(sinceCall, [`$${sinceVariable}: String`]), ...parts.variableDefinitions])} ` +
          `{ ${ENTITY_KEY}: ${print(sinceCall)} ${print(withCursor)} }`,
      ),
      variables: { ...parts.variables, ...passedFor(sinceCall) },
      sinceVariable,
      cursorKey,
    };
  }

  for (const query of [authorize, byId, replay]) {
    if (!query) continue;
    const [invalid] = validate(schema, parse(query.query));
    if (invalid) return `${query.operationName}: ${invalid.message}`;
  }
  return { authorize, byId, ...(replay && { replay }) };
}

const list = (definitions: string[]) =>
  definitions.length > 0 ? `(${definitions.join(', ')})` : '';

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
