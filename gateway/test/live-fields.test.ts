/**
 * The generic `@live` source on a supergraph of its own: a "board" subgraph the gateway has never
 * heard of declares `boardChanged(teamId)` in its schema, and the gateway serves it with no code
 * for it (authorization by a Boolean query, resolution by id, no since query); on the stack's
 * Redis and on a three-node cluster (REDIS_MODE=cluster: the subscriber and the publisher on
 * different nodes' connections, PUBLISH forwarded across the cluster bus).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Principal } from '@platform/identity';
import { createLogger } from '@platform/logger';
import { encodeLiveMessage, fillChannel } from '@platform/realtime';
import {
  startSubgraphServer,
  subscriptionsViaGateway,
  type SubgraphServer,
} from '@platform/subgraph-server';
import { createRedisConnection, type RedisConnection } from '@platform/redis';
import {
  eventually,
  recordingLogger,
  redisSubscriberCount,
  REDIS_MODES_UNDER_TEST,
  startRedisUnderTest,
  type RedisUnderTest,
} from '@platform/testing';
import { loadGatewayConfig, startGateway, type RunningGateway } from '../src/index.js';
import { connectClient, type TestClient } from './subscription-clients.js';
import { GATEWAY_SECRET, JWT_SECRET, bearer, composeSupergraph } from './test-platform.js';

const CHANNEL = 'test-boards:team:{teamId}';

const BOARD_SDL = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@composeDirective"])
  @link(url: "https://platform.acme.dev/live/v1.0", import: ["@live"])
  @composeDirective(name: "@live")
directive @live(channel: String!, authorize: String!, resolve: String!, since: String, cursor: String = "cursor") on FIELD_DEFINITION
type Board @key(fields: "id") { id: ID! title: String! }
type Query {
  board(id: ID!): Board
  canWatch(teamId: ID!): Boolean!
}
type Subscription {
  boardChanged(teamId: ID!): Board!
    @live(channel: "${CHANNEL}", authorize: "canWatch(teamId: $teamId)", resolve: "board(id: $id)")
}`;

interface Board {
  id: string;
  teamId: string;
  title: string;
}

const boards = new Map<string, Board>([
  ['b-1', { id: 'b-1', teamId: 't-red', title: 'Red roadmap' }],
  ['b-2', { id: 'b-2', teamId: 't-blue', title: 'Blue secrets' }],
]);
const members = new Map([
  ['t-red', new Set(['u-red'])],
  ['t-blue', new Set(['u-blue'])],
]);
const isMember = (principal: Principal, teamId: string) =>
  principal.kind !== 'anonymous' && (members.get(teamId)?.has(principal.userId) ?? false);

type Ctx = { principal: Principal };

describe.each(REDIS_MODES_UNDER_TEST)('on %s Redis', (mode) => {
  let dir: string;
  let subgraph: SubgraphServer;
  let gateway: RunningGateway;
  let deployment: RedisUnderTest;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    boards.get('b-1')!.title = 'Red roadmap';
    deployment = await startRedisUnderTest(mode);
    dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-live-'));
    subgraph = await startSubgraphServer({
      name: 'board',
      port: 0,
      gatewaySecret: GATEWAY_SECRET,
      logger: createLogger('test-subgraph', { level: 'silent' }),
      schema: buildSubgraphSchema([
        {
          typeDefs: parse(BOARD_SDL),
          resolvers: {
            Query: {
              board: (_: unknown, { id }: { id: string }, { principal }: Ctx) => {
                const board = boards.get(id);
                return board && isMember(principal, board.teamId) ? board : null;
              },
              canWatch: (_: unknown, { teamId }: { teamId: string }, { principal }: Ctx) =>
                isMember(principal, teamId),
            },
            Subscription: {
              boardChanged: {
                subscribe: subscriptionsViaGateway,
                resolve: subscriptionsViaGateway,
              },
            },
          },
        },
      ]),
      createContext: () => ({}),
    });
    const supergraphPath = path.join(dir, 'supergraph.graphql');
    await writeFile(
      supergraphPath,
      await composeSupergraph(dir, [{ name: 'board', url: subgraph.url, sdl: BOARD_SDL }]),
    );
    gateway = await startGateway(
      {
        ...loadGatewayConfig({ JWT_SECRET, GATEWAY_SECRET, SUPERGRAPH_PATH: supergraphPath }),
        PORT: 0,
        ...deployment.settings,
      },
      recordingLogger('gateway-live-test').logger,
      { consumeCacheEvents: false },
    );
    redis = createRedisConnection(deployment.target, { connectionName: 'live-fields-test' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await gateway?.stop();
    await subgraph?.stop();
    redis?.disconnect();
    await deployment?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function clientOf(userId: string): Promise<TestClient> {
    const client = connectClient(gateway, await bearer(userId));
    clients.push(client);
    return client;
  }

  const channelOf = (teamId: string) => fillChannel(CHANNEL, { teamId })!;

  const listeners = (teamId: string) => redisSubscriberCount(channelOf(teamId), deployment.target);

  const publish = (teamId: string, id: string, cursor: string) =>
    redis.publish(channelOf(teamId), encodeLiveMessage({ id, cursor }));
  /** The cursor a frame carries in `extensions.cursor`: the message's, as 20 digits. */
  const cursor = (position: number) => String(position).padStart(20, '0');

  describe('a field another subgraph declares @live', () => {
    it("is served from its channel, each message resolved with the subscriber's selection, in cursor order, once", async () => {
      const subscription = (await clientOf('u-red')).subscribe(
        'subscription ($team: ID!) { watched: boardChanged(teamId: $team) { id title } }',
        { team: 't-red' },
      );
      await eventually(async () => ((await listeners('t-red')) === 1 ? true : undefined));

      await publish('t-red', 'b-1', '1');
      await publish('t-red', 'b-1', '1'); // a redelivery: dropped
      // A message naming an entity the subscriber may not see is resolved as them: null, skipped.
      await publish('t-red', 'b-2', '2');
      await subscription.waitForResults(1);
      // A later change of the same entity is read anew, not answered from the first one's query.
      boards.get('b-1')!.title = 'Red roadmap v2';
      await publish('t-red', 'b-1', '3');

      const results = await subscription.waitForResults(2);
      expect(results).toEqual([
        {
          data: { watched: { id: 'b-1', title: 'Red roadmap' } },
          extensions: { cursor: cursor(1) },
        },
        {
          data: { watched: { id: 'b-1', title: 'Red roadmap v2' } },
          extensions: { cursor: cursor(3) },
        },
      ]);
    });

    it('refuses a subscriber its authorize query answers false, with FORBIDDEN, and listens to nothing', async () => {
      const before = await listeners('t-blue');
      const subscription = (await clientOf('u-red')).subscribe(
        'subscription { boardChanged(teamId: "t-blue") { id title } }',
      );
      expect(await subscription.waitForError()).toEqual([
        expect.objectContaining({
          message: 'You may not subscribe to boardChanged with these arguments',
          extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
        }),
      ]);
      expect(await listeners('t-blue')).toBe(before);
    });

    it('refuses since on a field without a since query: the field has no since argument', async () => {
      const subscription = (await clientOf('u-red')).subscribe(
        'subscription { boardChanged(teamId: "t-red", since: "1") { id } }',
      );
      expect(await subscription.waitForError()).toEqual([
        expect.objectContaining({
          extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
        }),
      ]);
    });
  });
});
