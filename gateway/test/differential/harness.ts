/**
 * Runs one supergraph's queries through stock `@apollo/gateway` and through this gateway with
 * every policy on, over the same subgraphs: plain `@apollo/subgraph` servers on port 0 that
 * report no entity tags, composed with `@apollo/composition`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';
import { issueAccessToken } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { uniqueName, type GraphQLErrorBody } from '@platform/testing';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../../src/index.js';
import { serveApollo } from '../serve-apollo.js';

/** The directives every corpus subgraph may use (cache hints make this gateway cache). */
export const SUBGRAPH_HEADER = `
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION`;

export const federation = (...directives: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${directives
    .map((name) => `"@${name}"`)
    .join(', ')}])${SUBGRAPH_HEADER}`;

type SchemaModule = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number];

export interface CorpusSubgraph {
  name: string;
  typeDefs: string;
  resolvers: Exclude<SchemaModule, DocumentNode>['resolvers'];
}

export interface CorpusQuery {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

export interface CorpusSupergraph {
  name: string;
  subgraphs: CorpusSubgraph[];
  queries: CorpusQuery[];
}

export interface Answer {
  status: number;
  data: unknown;
  errors: GraphQLErrorBody[];
  /** The `Age` header: set when this gateway served the answer from its cache. */
  age?: string | null;
  raw: string;
}

export interface RunningSupergraph {
  stock: (query: CorpusQuery) => Promise<Answer>;
  ours: (query: CorpusQuery) => Promise<Answer>;
  stop: () => Promise<void>;
}

const JWT_SECRET = 'differential-jwt-secret'.padEnd(40, 'j');
const GATEWAY_SECRET = 'differential-gateway-secret'.padEnd(40, 'g');
const quiet = createLogger('differential', { level: 'silent' });

/** A plain `@apollo/subgraph` server on port 0 (it reports no entity tags). */
export async function serveSubgraph(subgraph: CorpusSubgraph) {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema([
      { typeDefs: parse(subgraph.typeDefs), resolvers: subgraph.resolvers },
    ]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    logger: quiet,
  });
  return serveApollo(apollo, async () => ({}));
}

export async function startSupergraph(corpus: CorpusSupergraph): Promise<RunningSupergraph> {
  const served = await Promise.all(corpus.subgraphs.map(serveSubgraph));
  const stops: Array<() => Promise<void>> = served.map((subgraph) => subgraph.stop);
  const dir = await mkdtemp(path.join(os.tmpdir(), `differential-${corpus.name}-`));
  stops.push(() => rm(dir, { recursive: true, force: true }));
  try {
    const composed = composeServices(
      corpus.subgraphs.map((subgraph, index) => ({
        name: subgraph.name,
        typeDefs: parse(subgraph.typeDefs),
        url: served[index]!.url,
      })),
    );
    if (!composed.supergraphSdl) {
      throw new Error(`${corpus.name} does not compose: ${composed.errors?.join('\n')}`);
    }
    const supergraphPath = path.join(dir, 'supergraph.graphql');
    await writeFile(supergraphPath, composed.supergraphSdl);

    const stock = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl, logger: quiet }),
      logger: quiet,
    });
    await stock.start();
    stops.push(() => stock.stop());

    const ours: RunningGateway = await startGateway(
      {
        ...loadGatewayConfig({
          JWT_SECRET,
          GATEWAY_SECRET,
          SUPERGRAPH_PATH: supergraphPath,
          API_KEY_SUBGRAPH: '',
          RESPONSE_CACHE_UNTAGGED: 'ttl',
          RATE_LIMIT_USER_CAPACITY: '10000000',
          RATE_LIMIT_USER_REFILL_PER_SECOND: '100000',
        }),
        PORT: 0,
      },
      quiet,
      { consumeCacheEvents: false },
    );
    stops.push(() => ours.stop());
    const { token } = await issueAccessToken(
      { userId: 'differential', role: 'USER' },
      JWT_SECRET,
      600,
    );
    // The query texts are this run's own, so no cached answer of another run is ever read.
    const run = `# ${uniqueName('differential')}\n`;

    return {
      async stock({ query, variables }) {
        const response = await stock.executeOperation({ query, variables });
        if (response.body.kind !== 'single') throw new Error('expected a single result');
        const { data, errors } = response.body.singleResult;
        return {
          status: response.http.status ?? 200,
          data: data ?? null,
          errors: (errors ?? []) as GraphQLErrorBody[],
          raw: JSON.stringify(response.body.singleResult),
        };
      },
      async ours({ query, variables }) {
        const response = await fetch(ours.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: run + query, variables }),
        });
        const raw = await response.text();
        const body = JSON.parse(raw) as { data?: unknown; errors?: GraphQLErrorBody[] };
        return {
          status: response.status,
          data: body.data ?? null,
          errors: body.errors ?? [],
          age: response.headers.get('age'),
          raw,
        };
      },
      stop: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
}

/**
 * What must be the same: the data, and each error's path and code. An error this gateway masks
 * (INTERNAL_SERVER_ERROR: it never shows a subgraph's unexpected errors) compares by path only.
 */
export function comparable(answer: Answer, reference?: Answer) {
  return {
    data: answer.data,
    errors: answer.errors
      .map((error, index) => {
        const code = error.extensions?.code;
        const referenceCode = reference?.errors[index]?.extensions?.code;
        const masked =
          code === 'INTERNAL_SERVER_ERROR' || referenceCode === 'INTERNAL_SERVER_ERROR';
        return { path: error.path ?? null, ...(masked ? {} : { code: code ?? null }) };
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}
