/**
 * The gateway in front of a team's own subgraphs: a supergraph with none of the platform's
 * subgraphs (no `user` to verify API keys, no `@tag(name: "public")` fields), served over real
 * HTTP by plain `@apollo/subgraph` servers that report no entity tags.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import {
  errorCodes,
  postGraphQL,
  recordingLogger,
  uniqueName,
  type GraphQLResponse,
} from '@platform/testing';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../src/index.js';
import { federation, serveSubgraph, type CorpusSubgraph } from './differential/harness.js';

const FEDERATION = federation('key');

const books = new Map([
  ['b1', { upc: 'b1', title: 'Dune', authorId: 'a1' }],
  ['b2', { upc: 'b2', title: 'Emma', authorId: 'a2' }],
]);
const authors = new Map([
  ['a1', { id: 'a1', name: 'Frank Herbert' }],
  ['a2', { id: 'a2', name: 'Jane Austen' }],
]);
let authorFetches = 0;

const subgraphs: CorpusSubgraph[] = [
  {
    name: 'catalog',
    typeDefs: `${FEDERATION}
      type Book @key(fields: "upc") @cacheControl(maxAge: 60) { upc: ID! title: String! author: Author! }
      type Author @key(fields: "id", resolvable: false) @cacheControl(maxAge: 60) { id: ID! }
      type Query { book(upc: ID!): Book @cacheControl(maxAge: 60) }`,
    resolvers: {
      Query: { book: (_: unknown, { upc }: { upc: string }) => books.get(upc) ?? null },
      Book: { author: (book: { authorId: string }) => ({ id: book.authorId }) },
    },
  },
  {
    name: 'people',
    typeDefs: `${FEDERATION}
      type Author @key(fields: "id") @cacheControl(maxAge: 60) { id: ID! name: String! }`,
    resolvers: {
      Author: {
        __resolveReference: ({ id }: { id: string }) => {
          authorFetches += 1;
          return authors.get(id) ?? null;
        },
      },
    },
  },
];

describe('a gateway in front of subgraphs of its own', () => {
  let dir: string;
  let served: Array<Awaited<ReturnType<typeof serveSubgraph>>>;
  const gateways: RunningGateway[] = [];
  let supergraphPath: string;

  beforeAll(async () => {
    served = await Promise.all(subgraphs.map(serveSubgraph));
    const composed = composeServices(
      subgraphs.map((subgraph, index) => ({
        name: subgraph.name,
        typeDefs: parse(subgraph.typeDefs),
        url: served[index]!.url,
      })),
    );
    if (!composed.supergraphSdl) throw new Error(String(composed.errors));
    dir = await mkdtemp(path.join(os.tmpdir(), 'own-supergraph-'));
    supergraphPath = path.join(dir, 'supergraph.graphql');
    await writeFile(supergraphPath, composed.supergraphSdl);
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    for (const subgraph of served ?? []) await subgraph.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function gatewayWith(env: Record<string, string>) {
    const { logger, records } = recordingLogger('own-supergraph-gateway');
    const gateway = await startGateway(
      {
        ...loadGatewayConfig({
          JWT_SECRET: 'own-supergraph-jwt-secret'.padEnd(40, 'j'),
          GATEWAY_SECRET: 'own-supergraph-gateway-secret'.padEnd(40, 'g'),
          SUPERGRAPH_PATH: supergraphPath,
          API_KEY_SUBGRAPH: '',
          ...env,
        }),
        PORT: 0,
      },
      logger,
      { consumeCacheEvents: false },
    );
    gateways.push(gateway);
    return { gateway, records };
  }

  async function post(
    url: string,
    query: string,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse & { age: string | null }> {
    const response = await postGraphQL(url, { query }, headers);
    return { status: response.status, age: response.headers.get('age'), ...response.body };
  }

  it('serves the supergraph to anonymous callers when ANONYMOUS_ACCESS is all, saying once that API keys are off', async () => {
    const { gateway, records } = await gatewayWith({ ANONYMOUS_ACCESS: 'all' });
    const reply = await post(gateway.url, '{ book(upc: "b1") { title author { name } } }');
    expect(reply.status).toBe(200);
    expect(reply.data).toEqual({ book: { title: 'Dune', author: { name: 'Frank Herbert' } } });
    expect(JSON.stringify(reply)).not.toContain('__cache');
    expect(
      records.filter((record) => record.message.includes('API-key verification is off')),
    ).toHaveLength(1);
  });

  it('refuses every anonymous field with ANONYMOUS_ACCESS none, and non-public ones by default', async () => {
    for (const access of ['none', 'public']) {
      const { gateway } = await gatewayWith({ ANONYMOUS_ACCESS: access });
      const reply = await post(gateway.url, '{ book(upc: "b1") { title } }');
      expect(reply.status).toBe(401);
      expect(errorCodes(reply)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('refuses an API key with 401 when no subgraph verifies keys', async () => {
    const { gateway } = await gatewayWith({ ANONYMOUS_ACCESS: 'all' });
    const reply = await post(gateway.url, '{ book(upc: "b1") { title } }', { 'x-api-key': 'pk_x' });
    expect(reply.status).toBe(401);
    expect(reply.errors?.[0]?.message).toBe('This gateway does not accept API keys');
  });

  it('refuses API keys with 401 when the supergraph lacks the configured verifying subgraph', async () => {
    const { gateway, records } = await gatewayWith({
      ANONYMOUS_ACCESS: 'all',
      API_KEY_SUBGRAPH: 'user',
    });
    const reply = await post(gateway.url, '{ book(upc: "b1") { title } }', { 'x-api-key': 'pk_x' });
    expect(reply.status).toBe(401);
    expect(records.some((record) => record.message.includes('has no API_KEY_SUBGRAPH'))).toBe(true);
  });

  it('does not cache answers of subgraphs that report no entities, unless told to cache them by TTL', async () => {
    const query = '{ book(upc: "b2") { title author { name } } }';
    const { gateway: skipping } = await gatewayWith({ ANONYMOUS_ACCESS: 'all' });
    await post(skipping.url, query);
    const before = authorFetches;
    expect((await post(skipping.url, query)).age).toBeNull();
    expect(authorFetches).toBe(before + 1);

    const { gateway: ttl } = await gatewayWith({
      ANONYMOUS_ACCESS: 'all',
      RESPONSE_CACHE_UNTAGGED: 'ttl',
    });
    // A comment makes the text (and so the cache key) this run's own on the shared Redis.
    const ownQuery = `${query} # ${uniqueName('run')}`;
    const cold = await post(ttl.url, ownQuery);
    const fetchesAfterCold = authorFetches;
    const warm = await post(ttl.url, ownQuery);
    expect(cold.data).toEqual({ book: { title: 'Emma', author: { name: 'Jane Austen' } } });
    expect(warm.age).not.toBeNull();
    expect(authorFetches).toBe(fetchesAfterCold);
    expect(warm.data).toEqual(cold.data);
  });
});
