/**
 * A small real platform for gateway tests: three subgraphs served by startSubgraphServer (real
 * HTTP on port 0, behind the gateway signature), a supergraph composed from them with
 * @platform/composer into a temp directory, and the gateway under test in front. The notification
 * subgraph keeps its notifications in an array the tests fill (`platform.notifications`).
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
import { createLogger } from '@platform/logger';
import { startSubgraphServer } from '@platform/subgraph-server';
import { stackEndpoints } from '@platform/config';
import { recordingLogger } from '@platform/testing';
import {
  loadGatewayConfig,
  startGateway,
  type GatewayConfig,
  type GatewayOptions,
  type RunningGateway,
} from '../src/index.js';

export const JWT_SECRET = 'test-jwt-secret-'.padEnd(40, 'j');
export const GATEWAY_SECRET = 'test-gateway-secret-'.padEnd(40, 'g');

/** API keys the test user subgraph knows. */
export const API_KEYS = {
  readWrite: 'pk_read_write_key',
  readOnly: 'pk_read_only_key',
  writeOnly: 'pk_write_only_key',
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
  [API_KEYS.writeOnly]: {
    kind: 'apiKey',
    userId: 'u-key-owner',
    role: 'USER',
    scopes: ['write'],
    apiKeyId: 'k-wo',
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

/** Like the real notification subgraph's contract, on a store that is an array. */
const NOTIFICATION_SDL = `${FEDERATION(['@key'])}
type Notification @key(fields: "id") {
  id: ID!
  cursor: String!
  message: String!
  "A User: its name comes from the user subgraph, seenBy from the data subgraph."
  actor: User
}
type User @key(fields: "id", resolvable: false) {
  id: ID!
}
type Query {
  notification(id: ID!): Notification
  notificationsSince(since: String, first: Int = 100): [Notification!]!
}
type Subscription {
  notificationAdded(since: String): Notification!
}`;

/** A stored notification of the test notification subgraph. */
export interface TestNotification {
  id: string;
  /** The id zero-padded to 20 digits, as the real subgraph makes cursors. */
  cursor: string;
  recipientId: string;
  message: string;
  actorId: string | null;
}

/** The test notification subgraph's store: notifications are only ever appended. */
export class NotificationStore {
  readonly rows: TestNotification[] = [];
  private lastId = 0;

  add(recipientId: string, message: string, actorId: string | null = null): TestNotification {
    this.lastId += 1;
    const id = String(this.lastId);
    const row = { id, cursor: id.padStart(20, '0'), recipientId, message, actorId };
    this.rows.push(row);
    return row;
  }
}

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
  notifications: NotificationStore;
  /** Every message the gateway logged at info and above, in order. */
  readonly logs: string[];
  supergraphPath: string;
  /** Recomposes the supergraph file (with or without the data subgraph's `extra` field). */
  writeSupergraph: (options: { withExtra: boolean }) => Promise<void>;
  /** One more gateway process on the same supergraph and subgraphs (stopped by `stop`). */
  startAnotherGateway: (overrides?: TestPlatformOptions) => Promise<RunningGateway>;
  stop: () => Promise<void>;
}

export interface TestPlatformOptions {
  /** Settings of the gateway(s) over the defaults (REDIS_URL is the stack's). */
  gatewayConfig?: Partial<GatewayConfig>;
  gatewayOptions?: GatewayOptions;
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const { logger, records } = recordingLogger('gateway-test');
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
          User: {
            __resolveReference: ({ id }: { id: string }) => ({ id, name: `User ${id}` }),
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

  const notifications = new NotificationStore();
  const ownNotification = (principal: Principal, id: string) =>
    notifications.rows.find(
      (row) =>
        row.id === id && principal.kind !== 'anonymous' && row.recipientId === principal.userId,
    ) ?? null;
  const notification = await startSubgraphServer({
    name: 'notification',
    port: 0,
    gatewaySecret: GATEWAY_SECRET,
    logger: quiet,
    schema: buildSubgraphSchema([
      {
        typeDefs: parse(NOTIFICATION_SDL),
        resolvers: {
          Query: {
            notification: (_: unknown, { id }: { id: string }, { principal }: Ctx) =>
              ownNotification(principal, id),
            notificationsSince: (
              _: unknown,
              { since, first }: { since?: string | null; first: number },
              { principal }: Ctx,
            ) =>
              notifications.rows
                .filter(
                  (row) =>
                    principal.kind !== 'anonymous' &&
                    row.recipientId === principal.userId &&
                    BigInt(row.id) > BigInt(since ?? '0'),
                )
                .slice(0, first),
          },
          Notification: {
            __resolveReference: ({ id }: { id: string }, { principal }: Ctx) =>
              ownNotification(principal, id),
            actor: (row: TestNotification) =>
              row.actorId === null ? null : { __typename: 'User', id: row.actorId },
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
    const supergraphSdl = await composeSupergraph(dir, [
      { name: 'user', url: 'http://127.0.0.1:9/graphql', sdl: USER_SDL },
      { name: 'data', url: data.url, sdl: dataSdl({ withExtra }) },
      { name: 'notification', url: notification.url, sdl: NOTIFICATION_SDL },
    ]);
    await writeFile(supergraphPath, supergraphSdl);
  };
  await writeSupergraph({ withExtra: false });

  const config: GatewayConfig = {
    ...loadGatewayConfig({ JWT_SECRET, GATEWAY_SECRET, SUPERGRAPH_PATH: supergraphPath }),
    PORT: 0,
    REDIS_URL: stackEndpoints().redis.url,
    ...options.gatewayConfig,
  };
  const startOneGateway = (overrides: TestPlatformOptions = {}) =>
    startGateway({ ...config, ...overrides.gatewayConfig }, logger, {
      consumeCacheEvents: false,
      ...options.gatewayOptions,
      ...overrides.gatewayOptions,
      subgraphUrls: { user: user.url },
    });
  const gateway = await startOneGateway();
  const otherGateways: RunningGateway[] = [];

  return {
    gateway,
    observed,
    get logs() {
      return records.filter((record) => record.level !== 'debug').map((record) => record.message);
    },
    supergraphPath,
    notifications,
    writeSupergraph,
    startAnotherGateway: async (overrides) => {
      const another = await startOneGateway(overrides);
      otherGateways.push(another);
      return another;
    },
    stop: async () => {
      await Promise.all([gateway, ...otherGateways].map((running) => running.stop()));
      await Promise.all([user.stop(), data.stop(), notification.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

type Ctx = { principal: Principal };

/** A subgraph of a test supergraph: its SDL and the URL the supergraph routes it to. */
export interface TestSubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

/**
 * Composes a supergraph with @platform/composer, as `npm run compose` does: each subgraph's SDL
 * and a rover.yaml routing it to its URL are written into `dir` first.
 */
export async function composeSupergraph(
  dir: string,
  subgraphs: TestSubgraphSdl[],
): Promise<string> {
  const lines = ['federation_version: =2.7.0', 'subgraphs:'];
  for (const { name, url, sdl } of subgraphs) {
    await writeFile(path.join(dir, `${name}.graphql`), sdl);
    lines.push(`  ${name}:`, `    routing_url: ${url}`, `    schema: { file: ./${name}.graphql }`);
  }
  const roverYaml = path.join(dir, 'rover.yaml');
  await writeFile(roverYaml, lines.join('\n'));
  return (await compose(roverYaml)).supergraphSdl;
}

/** The authorization header of a USER's access token, signed with `secret` (this platform's). */
export async function bearer(
  userId = 'u-1',
  ttlSeconds = 60,
  secret = JWT_SECRET,
): Promise<Record<string, string>> {
  const { token } = await issueAccessToken({ userId, role: 'USER' }, secret, ttlSeconds);
  return { authorization: `Bearer ${token}` };
}
