import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createLogger } from '@platform/logger';
import { userPrincipal } from '@platform/testing';
import type { Principal } from '@platform/identity';
import { Registry } from 'prom-client';
import { SubgraphDataSource } from '../../src/fetch/data-source.js';
import { createFetchMetrics } from '../../src/fetch/metrics.js';
import { createGatewayMetrics } from '../../src/http/metrics.js';
import type { GatewayContext } from '../../src/gateway-context.js';
import { entityTagsOf } from '../../src/response-cache/entity-tags/index.js';
import { GATEWAY_SECRET } from '../test-platform.js';
import { startSharingPlatform, type SharingPlatform } from './sharing-platform.js';

const USERS = `query Users__people__1($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name } }
}`;

let platform: SharingPlatform;

beforeAll(async () => {
  platform = await startSharingPlatform();
});

afterAll(async () => {
  await platform?.stop();
});

beforeEach(() => {
  platform.delayMs = 50;
  platform.observed.userLookups = [];
  platform.observed.touches = 0;
});

const quiet = createLogger('data-source-test', { level: 'silent' });

function dataSource(url: string, subgraph: string, shareAcrossOperations: boolean) {
  return new SubgraphDataSource({
    subgraph,
    url,
    gatewaySecret: GATEWAY_SECRET,
    requests: createGatewayMetrics().subgraphRequests,
    shareAcrossOperations,
    metrics: createFetchMetrics(new Registry()),
  });
}

/** One client operation as the gateway hands it to data sources: its metrics and cache policy. */
function clientOperation(principal: Principal = userPrincipal('u-reader')) {
  const hints: object[] = [];
  const incomingRequestContext = {
    metrics: {},
    overallCachePolicy: { restrict: (hint: object) => hints.push(hint) },
  };
  const context: GatewayContext = {
    principal,
    clientIp: undefined,
    requestId: `r-${Math.random()}`,
    logger: quiet,
    pricedOperations: [],
  };
  return { incomingRequestContext, context, hints };
}

type Operation = ReturnType<typeof clientOperation>;

const fetchOf = (
  operation: Operation,
  query: string,
  variables: Record<string, unknown>,
): GraphQLDataSourceProcessOptions<GatewayContext> =>
  ({
    // GraphQLDataSourceRequestKind.INCOMING_OPERATION (a CommonJS enum ESM cannot import by name)
    kind: 'incoming operation',
    request: { query, variables },
    incomingRequestContext: operation.incomingRequestContext,
    context: operation.context,
  }) as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;

const authors = { representations: [{ __typename: 'User', id: 'u0' }] };

describe('SubgraphDataSource: identical fetches in flight', () => {
  it('shares one HTTP call between two operations, each with its own answer, cache hint and entity tags', async () => {
    const people = dataSource(platform.people.url, 'people', true);
    const [a, b] = [clientOperation(), clientOperation()];

    const [first, second] = await Promise.all([
      people.process(fetchOf(a, USERS, authors)),
      people.process(fetchOf(b, USERS, authors)),
    ]);

    expect(platform.observed.userLookups).toEqual([['u0']]);
    expect(first.data).toEqual({ _entities: [{ id: 'u0', name: 'Author u0' }] });
    expect(second.data).toEqual(first.data);
    expect(second.data).not.toBe(first.data);
    for (const operation of [a, b]) {
      expect([...entityTagsOf(operation.incomingRequestContext).tags]).toEqual(['User:u0']);
      expect(entityTagsOf(operation.incomingRequestContext).unreported.size).toBe(0);
      expect(operation.hints).toHaveLength(1);
    }
  });

  it('always shares within one operation', async () => {
    const people = dataSource(platform.people.url, 'people', false);
    const operation = clientOperation();

    await Promise.all([
      people.process(fetchOf(operation, USERS, authors)),
      people.process(fetchOf(operation, USERS, authors)),
    ]);

    expect(platform.observed.userLookups).toHaveLength(1);
  });

  it('does not share across operations unless told to', async () => {
    const people = dataSource(platform.people.url, 'people', false);

    await Promise.all([
      people.process(fetchOf(clientOperation(), USERS, authors)),
      people.process(fetchOf(clientOperation(), USERS, authors)),
    ]);

    expect(platform.observed.userLookups).toHaveLength(2);
  });

  it('does not share between two principals', async () => {
    const people = dataSource(platform.people.url, 'people', true);

    await Promise.all([
      people.process(fetchOf(clientOperation(userPrincipal('u-a')), USERS, authors)),
      people.process(fetchOf(clientOperation(userPrincipal('u-b')), USERS, authors)),
    ]);

    expect(platform.observed.userLookups).toHaveLength(2);
  });

  it('sends every mutation, even within one operation', async () => {
    const docs = dataSource(platform.docs.url, 'docs', true);
    const operation = clientOperation();
    const touch = 'mutation Touch__docs__0 { touch }';

    const answers = await Promise.all([
      docs.process(fetchOf(operation, touch, {})),
      docs.process(fetchOf(operation, touch, {})),
    ]);

    expect(platform.observed.touches).toBe(2);
    for (const answer of answers) expect(answer.data).toEqual({ touch: 'touched' });
  });

  it('after the first answer, sends the same query again', async () => {
    const people = dataSource(platform.people.url, 'people', true);
    const operation = clientOperation();

    await people.process(fetchOf(operation, USERS, authors));
    await people.process(fetchOf(operation, USERS, authors));

    expect(platform.observed.userLookups).toHaveLength(2);
  });
});
