import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  buildSchema,
  getArgumentValues,
  parse,
  print,
  type FieldNode,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import { Redis } from 'ioredis';
import { DEFAULT_SCHEMA_DIR } from '@platform/composer';
import { createLogger } from '@platform/logger';
import { costModelFromSdl } from '../../cost/model.js';
import { readLiveFields, type LiveField } from '../../supergraph/live-fields.js';
import { liveChannels } from '../channels.js';
import { deliveryRetry } from '../delivery-retry.js';
import { readSubscriptionRequest, type SubscriptionRequest } from '../subscription-request.js';
import { liveQueries, type LiveQueries } from './queries.js';
import { liveSource } from './source.js';

const supergraphSdl = readFileSync(`${DEFAULT_SCHEMA_DIR}/supergraph.graphql`, 'utf8');
const apiSdl = readFileSync(`${DEFAULT_SCHEMA_DIR}/api.graphql`, 'utf8');
const schema = buildSchema(apiSdl);
const limits = { costLimits: {}, costModel: costModelFromSdl(supergraphSdl) };
const { fields } = readLiveFields(parse(supergraphSdl));
const documentChanged = fields.get('documentChanged')!;

function request(query: string, variables: Record<string, unknown> = {}): SubscriptionRequest {
  const read = readSubscriptionRequest(schema, { query, variables }, [...fields.keys()], limits);
  if (Array.isArray(read)) throw new Error(read.map((error) => error.message).join());
  return read;
}

function rewrite(query: string, variables: Record<string, unknown>, live = documentChanged) {
  const read = request(query, variables);
  const definition = schema.getSubscriptionType()!.getFields()[read.root.name.value]!;
  return liveQueries(
    live,
    definition,
    read,
    getArgumentValues(definition, read.root, read.coercedVariables),
  );
}

const canonical = (query: string) => print(parse(query));

const fieldCall = (text: string) =>
  (parse(`{ ${text} }`).definitions[0] as OperationDefinitionNode).selectionSet
    .selections[0] as FieldNode;

describe("rewriting a @live field's subscription into queries through the supergraph", () => {
  it('fills the declared field calls, keeps the selection, and names its variables apart', () => {
    const queries = rewrite(
      `subscription Watch($id: ID!, $n: Int, $since: String) {
        changed: documentChanged(projectId: $id, since: $since) {
          ...Heading project { documents(first: $n) { edges { node { id } } } }
        }
      }
      fragment Heading on Document { title author { name } }`,
      { id: 'p1', n: 3, since: '00000000000000000007' },
    ) as LiveQueries;

    // $id, $since are the subscriber's own: the gateway's variables get other names.
    expect(canonical(queries.authorize.query)).toBe(
      canonical(
        'query DocumentChangedAuthorize($projectId: ID!) { entity: project(id: $projectId) { __typename } }',
      ),
    );
    expect(queries.authorize.variables).toEqual({ projectId: 'p1' });
    expect(queries.byId.idVariable).toBe('id1');
    expect(canonical(queries.byId.query)).toBe(
      canonical(`query DocumentChangedLive($id1: ID!, $n: Int) {
        entity: document(id: $id1) {
          ...Heading project { documents(first: $n) { edges { node { id } } } }
        }
      }
      fragment Heading on Document { title author { name } }`),
    );
    expect(queries.byId.variables).toEqual({ n: 3 });
    expect(queries.byId.shareable).toBe(true);
    expect(queries.replay!.sinceVariable).toBe('since1');
    expect(canonical(queries.replay!.query)).toBe(
      canonical(`query DocumentChangedReplay($since1: String, $projectId: ID!, $n: Int) {
        entity: documentChangesSince(projectId: $projectId, since: $since1, first: 100) {
          replayCursor: changeCursor
          ...Heading project { documents(first: $n) { edges { node { id } } } }
        }
      }
      fragment Heading on Document { title author { name } }`),
    );
    expect(queries.replay!.variables).toEqual({ n: 3, projectId: 'p1' });
  });

  it('reports a declaration whose queries the API schema cannot run', () => {
    const broken: LiveField = {
      ...documentChanged,
      resolve: fieldCall('missingDocument(id: $id)'),
    };
    expect(rewrite('subscription { documentChanged(projectId: "p") { id } }', {}, broken)).toBe(
      'DocumentChangedLive: Cannot query field "missingDocument" on type "Query". Did you mean "document"?',
    );
  });
});

describe('the live source refusing what it cannot serve', () => {
  // A real ioredis client that never connects: prepare() reads the subscription only.
  const redis = new Redis({ lazyConnect: true });
  const withoutSince = new Map([
    ...fields,
    ['documentChanged', { ...documentChanged, since: undefined }] as const,
  ]);
  let declared: ReadonlyMap<string, LiveField> = fields;
  const source = liveSource({
    liveFields: () => declared,
    channels: liveChannels({ redis, logger: createLogger('test', { level: 'silent' }) }),
    runQuery: () => {
      throw new Error('prepare() runs no query');
    },
    inboxLimit: 10,
    retry: deliveryRetry({ attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }),
    logger: createLogger('test', { level: 'silent' }),
  });
  const refusal = (query: string) => {
    const prepared = source.prepare(request(query));
    expect(Array.isArray(prepared)).toBe(true);
    const [error] = prepared as GraphQLError[];
    return { message: error!.message, code: error!.extensions.code };
  };

  it('serves the fields the supergraph declares', () => {
    expect(source.fields()).toEqual(['documentChanged']);
    const prepared = source.prepare(
      request('subscription { documentChanged(projectId: "p") { id } }'),
    );
    expect(Array.isArray(prepared)).toBe(false);
  });

  it('refuses a since that is not a cursor of the field', () => {
    expect(
      refusal('subscription { documentChanged(projectId: "p", since: "soon") { id } }'),
    ).toEqual({ message: 'since is not a documentChanged cursor', code: 'BAD_USER_INPUT' });
  });

  it('refuses since on a field that declares no since query, saying it cannot resume', () => {
    declared = withoutSince;
    try {
      expect(
        refusal(
          'subscription { documentChanged(projectId: "p", since: "00000000000000000001") { id } }',
        ),
      ).toEqual({
        message: 'documentChanged cannot resume: it declares no since query',
        code: 'BAD_USER_INPUT',
      });
    } finally {
      declared = fields;
    }
  });
});
