/**
 * A small real platform for gateway tests: two subgraphs served by startSubgraphServer (real HTTP
 * on port 0, behind the gateway signature), a supergraph composed from them with
 * @platform/composer into a temp directory, and the gateway under test in front.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express from 'express';
import { parse } from 'graphql';
import { compose } from '@platform/composer';
import { errorResponseBody, ErrorCode } from '@platform/errors';
import {
  API_KEY_VERIFICATION_PATH,
  issueAccessToken,
  type ApiKeyVerificationResponse,
  type Principal,
} from '@platform/identity';
import { createLogger, type Logger } from '@platform/logger';
import { startSubgraphServer } from '@platform/subgraph-server';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../src/index.js';

export const JWT_SECRET = 'test-jwt-secret-'.padEnd(40, 'j');
export const GATEWAY_SECRET = 'test-gateway-secret-'.padEnd(40, 'g');

/** API keys the test user subgraph knows. */
export const API_KEYS = {
  readWrite: 'pk_read_write_key',
  readOnly: 'pk_read_only_key',
};

const API_KEY_PRINCIPALS: Record<string, ApiKeyVerificationResponse['principal']> = {
  [API_KEYS.readWrite]: {
    kind: 'apiKey',
    userId: 'u-key-owner',
    role: 'USER',
    scopes: ['read', 'write'],
    apiKeyId: 'k-rw',
  },
  [API_KEYS.readOnly]: {
    kind: 'apiKey',
    userId: 'u-key-owner',
    role: 'USER',
    scopes: ['read'],
    apiKeyId: 'k-ro',
  },
};

const FEDERATION = (imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ${JSON.stringify(imports)})`;

const USER_SDL = `${FEDERATION(['@key', '@tag'])}
type User @key(fields: "id") {
  id: ID!
  name: String!
}
type Query {
  me: User
  "The principal and request id this subgraph saw, as JSON."
  caller: String!
  echo(text: String!): String!
}
type Mutation {
  signUp(name: String!): String! @tag(name: "public")
  rename(name: String!): String!
}`;

/** The data subgraph always serves `extra`; a supergraph may be composed without it. */
export const dataSdl = ({ withExtra }: { withExtra: boolean }) => `${FEDERATION(['@key'])}
type User @key(fields: "id") {
  id: ID!
  "The principal the data subgraph saw, as JSON."
  seenBy: String!
}
${withExtra ? 'type Query { extra: String! }' : ''}`;

/** What the test subgraphs observed. */
export interface SubgraphObservations {
  /** Principals and request ids of the GraphQL requests the user subgraph served. */
  userRequests: { principal: Principal; requestId: string }[];
  /** Calls of the private `rename` mutation. */
  renames: number;
  /** Calls of the API key verification endpoint. */
  verifications: number;
}

export interface TestPlatform {
  gateway: RunningGateway;
  observed: SubgraphObservations;
  /** Every message the gateway logged. */
  logs: string[];
  supergraphPath: string;
  /** Recomposes the supergraph file (with or without the data subgraph's `extra` field). */
  writeSupergraph: (options: { withExtra: boolean }) => Promise<void>;
  stop: () => Promise<void>;
}

/** A logger that records messages instead of printing them (LOG_TESTS=1 prints them too). */
export function recordingLogger(logs: string[]): Logger {
  return createLogger('gateway-test', {
    level: 'info',
    hooks: {
      logMethod(args, method) {
        logs.push(args.filter((arg) => typeof arg === 'string').join(' '));
        if (process.env.LOG_TESTS) method.apply(this, args);
      },
    },
  });
}

export async function startTestPlatform(): Promise<TestPlatform> {
  const logs: string[] = [];
  const logger = recordingLogger(logs);
  const quiet = createLogger('test-subgraph', { level: 'silent' });
  const observed: SubgraphObservations = { userRequests: [], renames: 0, verifications: 0 };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-test-'));

  const user = await startSubgraphServer({
    name: 'user',
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(USER_SDL),
        resolvers: {
          Query: {
            me: (_: unknown, __: unknown, { principal }: { principal: Principal }) =>
              principal.kind === 'anonymous' ? null : { id: principal.userId, name: 'Ada' },
            caller: (
              _: unknown,
              __: unknown,
              context: { principal: Principal; requestId: string },
            ) => JSON.stringify({ principal: context.principal, requestId: context.requestId }),
            echo: (_: unknown, { text }: { text: string }) => text,
          },
          Mutation: {
            signUp: (_: unknown, { name }: { name: string }) => `welcome ${name}`,
            rename: (_: unknown, { name }: { name: string }) => {
              observed.renames += 1;
              return name;
            },
          },
        },
      },
    ]),
    createContext: (base) => {
      observed.userRequests.push({ principal: base.principal, requestId: base.requestId });
      return {};
    },
    mountRoutes: (app, requireGateway) => {
      app.post(API_KEY_VERIFICATION_PATH, requireGateway, express.json(), (req, res) => {
        observed.verifications += 1;
        const principal = API_KEY_PRINCIPALS[(req.body as { key?: string }).key ?? ''];
        if (principal) res.json({ principal } satisfies ApiKeyVerificationResponse);
        else res.status(401).json(errorResponseBody(ErrorCode.Unauthenticated, 'Invalid API key'));
      });
    },
  });

  const data = await startSubgraphServer({
    name: 'data',
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(dataSdl({ withExtra: true })),
        resolvers: {
          Query: { extra: () => 'hello from the new field' },
          User: {
            seenBy: (_: unknown, __: unknown, { principal }: { principal: Principal }) =>
              JSON.stringify(principal),
          },
        },
      },
    ]),
    createContext: () => ({}),
  });

  // The user subgraph's composed routing URL goes nowhere: the gateway must use the override
  // (for GraphQL and API key verification alike). The data subgraph is reached as composed.
  const supergraphPath = path.join(dir, 'supergraph.graphql');
  const writeSupergraph = async ({ withExtra }: { withExtra: boolean }) => {
    await writeFile(path.join(dir, 'user.graphql'), USER_SDL);
    await writeFile(path.join(dir, 'data.graphql'), dataSdl({ withExtra }));
    const roverYaml = path.join(dir, 'rover.yaml');
    await writeFile(
      roverYaml,
      [
        'federation_version: =2.7.0',
        'subgraphs:',
        '  user:',
        '    routing_url: http://127.0.0.1:9/graphql',
        '    schema: { file: ./user.graphql }',
        '  data:',
        `    routing_url: ${data.url}`,
        '    schema: { file: ./data.graphql }',
      ].join('\n'),
    );
    const { supergraphSdl } = await compose(roverYaml);
    await writeFile(supergraphPath, supergraphSdl);
  };
  await writeSupergraph({ withExtra: false });

  const config = {
    ...loadGatewayConfig({ JWT_SECRET, GATEWAY_SECRET, SUPERGRAPH_PATH: supergraphPath }),
    PORT: 0,
  };
  const gateway = await startGateway(config, logger, { subgraphUrls: { user: user.url } });

  return {
    gateway,
    observed,
    logs,
    supergraphPath,
    writeSupergraph,
    stop: async () => {
      await gateway.stop();
      await Promise.all([user.stop(), data.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface GraphQLResult {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
}

/** POSTs a GraphQL request (an object, or a raw string body) to the gateway. */
export async function post(
  url: string,
  body: object | string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResult['body'],
  };
}

export async function bearer(userId = 'u-1', ttlSeconds = 60): Promise<Record<string, string>> {
  const { token } = await issueAccessToken({ userId, role: 'USER' }, JWT_SECRET, ttlSeconds);
  return { authorization: `Bearer ${token}` };
}

export const errorCodes = (result: GraphQLResult) =>
  (result.body.errors ?? []).map((error) => error.extensions?.code);

/** Waits until `check` passes, for at most `timeoutMs`; then fails with its last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
