import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { issueAccessToken, type AuthenticatedPrincipal } from '@platform/identity';
import { eventually, postGraphQL as post } from '@platform/testing';
import type { RunningGateway } from '../src/index.js';
import {
  closeOfConnection,
  connectClient,
  notificationRedis,
  openRawSocket,
  tcpSocketOf,
  within,
  type NotificationRedis,
  type TestClient,
} from './subscription-clients.js';
import {
  API_KEYS,
  JWT_SECRET,
  bearer,
  startTestPlatform,
  type TestPlatform,
} from './test-platform.js';

let platform: TestPlatform;
let gateway: RunningGateway;
let redis: NotificationRedis;
const clients: TestClient[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  gateway = platform.gateway;
  redis = notificationRedis();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await platform.stop();
  await redis.close();
});

/** A graphql-ws client of `userId` (a user access token), disposed after the file. */
async function clientOf(userId: string, on: RunningGateway = gateway): Promise<TestClient> {
  const client = connectClient(on, await bearer(userId));
  clients.push(client);
  return client;
}

const uniqueName = (prefix: string) => `${prefix}-${randomUUID()}`;
const newUser = () => uniqueName('subscriber');

const ACROSS_SUBGRAPHS = `subscription {
  notificationAdded { id message actor { id name seenBy } }
}`;

describe('live notifications', () => {
  it('sends a subscriber its notification with fields from three subgraphs, resolved as the subscriber', async () => {
    const user = newUser();
    const subscription = (await clientOf(user)).subscribe(ACROSS_SUBGRAPHS);
    await redis.waitForSubscribers(user, 1);

    const row = platform.notifications.add(user, 'Ada edited "Plans"', 'u-ada');
    await redis.publish(user, row);

    const [result] = await subscription.waitForResults(1);
    expect(result).toEqual({
      data: {
        notificationAdded: {
          id: row.id,
          message: 'Ada edited "Plans"',
          // name: user subgraph; seenBy: data subgraph, which verified the subscriber's identity.
          actor: { id: 'u-ada', name: 'User u-ada', seenBy: expect.any(String) },
        },
      },
      extensions: { cursor: row.cursor },
    });
    const actor = (result!.data!.notificationAdded as { actor: { seenBy: string } }).actor;
    expect(JSON.parse(actor.seenBy)).toMatchObject({ kind: 'user', userId: user });
  });

  it('delivers nothing to another user, even a message naming a notification that is not theirs', async () => {
    const [owner, other] = [newUser(), newUser()];
    const ownerSubscription = (await clientOf(owner)).subscribe(ACROSS_SUBGRAPHS);
    const otherSubscription = (await clientOf(other)).subscribe(ACROSS_SUBGRAPHS);
    await redis.waitForSubscribers(owner, 1);
    await redis.waitForSubscribers(other, 1);

    const ownersRow = platform.notifications.add(owner, 'for the owner only');
    await redis.publish(owner, ownersRow);
    // A forged message on the other user's channel: the notification subgraph answers null for it.
    await redis.publish(other, ownersRow);
    const othersRow = platform.notifications.add(other, 'for the other user');
    await redis.publish(other, othersRow);

    await ownerSubscription.waitForResults(1);
    // Messages reach one Redis connection in publish order, so anything meant for `other` before
    // its own notification would have arrived first.
    const results = await otherSubscription.waitForResults(1);
    expect(results).toEqual([
      {
        data: { notificationAdded: expect.objectContaining({ id: othersRow.id }) },
        extensions: { cursor: othersRow.cursor },
      },
    ]);
    expect(ownerSubscription.results).toEqual([
      {
        data: { notificationAdded: expect.objectContaining({ id: ownersRow.id }) },
        extensions: { cursor: ownersRow.cursor },
      },
    ]);
  });

  it('ignores a malformed message and keeps delivering', async () => {
    const user = newUser();
    const subscription = (await clientOf(user)).subscribe(
      'subscription { notificationAdded { id } }',
    );
    await redis.waitForSubscribers(user, 1);

    await redis.publishRaw(user, 'not json');
    await redis.publishRaw(user, JSON.stringify({ notificationId: '1' }));
    await redis.publishRaw(user, JSON.stringify({ notificationId: '1', cursor: 'abc' }));
    const row = platform.notifications.add(user, 'after the garbage');
    await redis.publish(user, row);

    expect(await subscription.waitForResults(1)).toEqual([
      { data: { notificationAdded: { id: row.id } }, extensions: { cursor: row.cursor } },
    ]);
    expect(platform.logs).toContain('ignored a malformed live message');
  });

  it('answers an alias under the alias and keeps fragments and variables the selection uses', async () => {
    const user = newUser();
    const subscription = (await clientOf(user)).subscribe(
      `subscription Live($withActor: Boolean!) {
        added: notificationAdded { ...Parts actor @include(if: $withActor) { name } }
      }
      fragment Parts on Notification { text: message cursor }`,
      { withActor: true },
    );
    await redis.waitForSubscribers(user, 1);

    const row = platform.notifications.add(user, 'aliased', 'u-grace');
    await redis.publish(user, row);

    expect(await subscription.waitForResults(1)).toEqual([
      {
        data: {
          added: { text: 'aliased', cursor: row.cursor, actor: { name: 'User u-grace' } },
        },
        extensions: { cursor: row.cursor },
      },
    ]);
  });
});

describe('resuming with since', () => {
  it('replays what was missed in order, then goes live, sending each notification once', async () => {
    const user = newUser();
    const seen = platform.notifications.add(user, 'seen before the drop');
    const missed = [
      platform.notifications.add(user, 'missed 1'),
      platform.notifications.add(user, 'missed 2'),
    ];
    const subscription = (await clientOf(user)).subscribe(
      'subscription ($since: String) { notificationAdded(since: $since) { id message } }',
      { since: seen.cursor },
    );
    await subscription.waitForResults(2);
    await redis.waitForSubscribers(user, 1);

    const live = platform.notifications.add(user, 'live');
    await redis.publish(user, live);
    await redis.publish(user, live); // redelivered
    await redis.publish(user, missed[1]!); // already sent by the replay
    await redis.publish(user, seen); // the client had it before it resumed
    const later = platform.notifications.add(user, 'later');
    await redis.publish(user, later);

    const results = await subscription.waitForResults(4);
    expect(results.map((result) => result.data?.notificationAdded)).toEqual([
      { id: missed[0]!.id, message: 'missed 1' },
      { id: missed[1]!.id, message: 'missed 2' },
      { id: live.id, message: 'live' },
      { id: later.id, message: 'later' },
    ]);
  });

  it('pages through a long replay in cursor order and strips the cursor it added from the data', async () => {
    const user = newUser();
    const rows = Array.from({ length: 230 }, (_, index) =>
      platform.notifications.add(user, `n${index}`),
    );
    const subscription = (await clientOf(user)).subscribe(
      'subscription { notificationAdded(since: "0") { message } }',
    );

    const results = await subscription.waitForResults(rows.length);
    expect(results).toEqual(
      rows.map((row) => ({
        data: { notificationAdded: { message: row.message } },
        extensions: { cursor: row.cursor },
      })),
    );
  });

  it('refuses a since that is not a notification cursor', async () => {
    const subscription = (await clientOf(newUser())).subscribe(
      'subscription { notificationAdded(since: "yesterday") { id } }',
    );
    expect(await subscription.waitForError()).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
  });
});

describe('connection authentication', () => {
  it('closes a connection without a credential with 4401', async () => {
    expect(await closeOfConnection(gateway, {})).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('closes a connection with a bad token or an unknown API key with 4401', async () => {
    const wrongSecret = 'x'.repeat(JWT_SECRET.length);
    const { token } = await issueAccessToken({ userId: 'u-1', role: 'USER' }, wrongSecret, 60);
    expect(await closeOfConnection(gateway, { authorization: `Bearer ${token}` })).toEqual({
      code: 4401,
      reason: 'Unauthorized',
    });
    expect(await closeOfConnection(gateway, { authorization: 'Bearer not-a-jwt' })).toMatchObject({
      code: 4401,
    });
    expect(await closeOfConnection(gateway, { apiKey: 'pk_unknown' })).toMatchObject({
      code: 4401,
    });
  });

  it('closes a connection whose credential lacks the read scope with 4403', async () => {
    expect(await closeOfConnection(gateway, { 'x-api-key': API_KEYS.writeOnly })).toEqual({
      code: 4403,
      reason: 'Forbidden',
    });
  });

  it('accepts an API key as apiKey or x-api-key and delivers the key owner’s notifications', async () => {
    for (const params of [{ apiKey: API_KEYS.readOnly }, { 'x-api-key': API_KEYS.readWrite }]) {
      const client = connectClient(gateway, params);
      clients.push(client);
      const subscription = client.subscribe('subscription { notificationAdded { message } }');
      await redis.waitForSubscribers('u-key-owner', 1);
      const row = platform.notifications.add('u-key-owner', `via ${Object.keys(params)[0]}`);
      await redis.publish('u-key-owner', row);
      expect(await subscription.waitForResults(1)).toEqual([
        {
          data: { notificationAdded: { message: row.message } },
          extensions: { cursor: row.cursor },
        },
      ]);
      subscription.unsubscribe();
      await redis.waitForSubscribers('u-key-owner', 0);
    }
  });
});

describe('subscribe validation', () => {
  it('refuses an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const subscription = (await clientOf(newUser())).subscribe(
      'subscription { notificationAdded { id secretField } }',
    );
    expect(await subscription.waitForError()).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('secretField'),
        extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }),
      }),
    ]);
  });

  it('refuses anything but notificationAdded with BAD_REQUEST', async () => {
    const client = await clientOf(newUser());
    for (const query of ['{ me { id } }', 'mutation { rename(name: "x") }']) {
      expect(await client.subscribe(query).waitForError()).toEqual([
        expect.objectContaining({
          message: 'Only notificationAdded can be subscribed',
          extensions: expect.objectContaining({ code: 'BAD_REQUEST' }),
        }),
      ]);
    }
    expect(platform.observed.renames).toBe(0);
  });
});

describe('starting subscriptions', () => {
  const startsOf = async (kind: string, on: RunningGateway = gateway) => {
    const metrics = await (await fetch(on.metricsUrl)).text();
    const line = metrics
      .split('\n')
      .find((candidate) =>
        candidate.startsWith(`gateway_subscription_starts_total{principal_kind="${kind}"}`),
      );
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('counts each start by principal kind', async () => {
    const before = await startsOf('apiKey');
    const client = connectClient(gateway, { apiKey: API_KEYS.readOnly });
    clients.push(client);
    const subscription = client.subscribe('subscription { notificationAdded { id } }');
    await redis.waitForSubscribers('u-key-owner', 1);
    expect(await startsOf('apiKey')).toBe(before + 1);
    subscription.unsubscribe();
    await redis.waitForSubscribers('u-key-owner', 0);
  });

  it('lets the start hook refuse a subscription with its error, keeping the socket open', async () => {
    const seen: AuthenticatedPrincipal[] = [];
    const limited = await platform.startAnotherGateway({
      gatewayOptions: {
        subscriptionStartHook: (principal) => {
          seen.push(principal);
          if (principal.userId.startsWith('limited')) {
            throw new GraphQLError('Too many subscriptions', {
              extensions: { code: 'RATE_LIMITED' },
            });
          }
        },
      },
    });
    const user = uniqueName('limited');
    const client = await clientOf(user, limited);
    expect(await client.subscribe(ACROSS_SUBGRAPHS).waitForError()).toEqual([
      expect.objectContaining({
        message: 'Too many subscriptions',
        extensions: expect.objectContaining({ code: 'RATE_LIMITED' }),
      }),
    ]);
    expect(seen).toEqual([expect.objectContaining({ kind: 'user', userId: user })]);
    expect(await startsOf('user', limited)).toBe(0);
    expect(await redis.subscribers(user)).toBe(0);
  });
});

describe('Redis channels', () => {
  it('subscribes a channel once per gateway and unsubscribes it when its last subscriber leaves', async () => {
    const user = newUser();
    const client = await clientOf(user);
    const first = client.subscribe('subscription { notificationAdded { id } }');
    const second = (await clientOf(user)).subscribe('subscription { notificationAdded { id } }');
    await eventually(async () => {
      expect(gateway.subscriptions.activeCount()).toBeGreaterThan(1);
      return true;
    });
    await redis.waitForSubscribers(user, 1);

    first.unsubscribe();
    const row = platform.notifications.add(user, 'still listening');
    await redis.publish(user, row);
    expect(await second.waitForResults(1)).toEqual([
      { data: { notificationAdded: { id: row.id } }, extensions: { cursor: row.cursor } },
    ]);
    expect(await redis.subscribers(user)).toBe(1);

    second.unsubscribe();
    await redis.waitForSubscribers(user, 0);
  });

  it('delivers through two gateway instances on the same Redis, each to its own subscribers', async () => {
    const secondGateway = await platform.startAnotherGateway();
    const [both, onlySecond] = [newUser(), newUser()];
    const viaFirst = (await clientOf(both)).subscribe('subscription { notificationAdded { id } }');
    const viaSecond = (await clientOf(both, secondGateway)).subscribe(
      'subscription { notificationAdded { id } }',
    );
    const other = (await clientOf(onlySecond, secondGateway)).subscribe(
      'subscription { notificationAdded { id } }',
    );
    await redis.waitForSubscribers(both, 2);
    await redis.waitForSubscribers(onlySecond, 1);

    const forBoth = platform.notifications.add(both, 'to every gateway');
    const forOther = platform.notifications.add(onlySecond, 'to the second gateway');
    await redis.publish(both, forBoth);
    await redis.publish(onlySecond, forOther);

    const expected = ({ id, cursor }: { id: string; cursor: string }) => [
      { data: { notificationAdded: { id } }, extensions: { cursor } },
    ];
    expect(await viaFirst.waitForResults(1)).toEqual(expected(forBoth));
    expect(await viaSecond.waitForResults(1)).toEqual(expected(forBoth));
    expect(await other.waitForResults(1)).toEqual(expected(forOther));
  });

  it('catches up after the Redis connection drops, sending what was published meanwhile', async () => {
    const user = newUser();
    const subscription = (await clientOf(user)).subscribe(
      'subscription { notificationAdded { id } }',
    );
    await redis.waitForSubscribers(user, 1);
    const before = platform.notifications.add(user, 'before the drop');
    await redis.publish(user, before);
    await subscription.waitForResults(1);

    // Stored while the connection is down: its publish is lost with the connection.
    const during = platform.notifications.add(user, 'during the drop');
    expect(await redis.killGatewaySubscribers()).toBeGreaterThan(0);
    await redis.waitForSubscribers(user, 1);
    const after = platform.notifications.add(user, 'after the drop');
    await redis.publish(user, after);

    const results = await subscription.waitForResults(3);
    expect(results.map((result) => result.data?.notificationAdded)).toEqual([
      { id: before.id },
      { id: during.id },
      { id: after.id },
    ]);
  });

  it('keeps HTTP working while Redis cannot be reached', async () => {
    const cutOff = await platform.startAnotherGateway({
      gatewayConfig: { REDIS_URL: 'redis://127.0.0.1:1' },
    });
    const client = await clientOf(newUser(), cutOff);
    client.subscribe('subscription { notificationAdded { id } }');
    await eventually(async () => {
      expect(platform.logs).toContain('Redis subscriber connection failed; reconnecting');
      return true;
    });

    const result = await post(cutOff.url, { query: '{ me { id } }' }, await bearer('u-http'));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      data: { me: { id: 'u-http' } },
      extensions: { cost: expect.any(Object) },
    });
  });
});

describe('slow and silent clients', () => {
  it('closes a client that stops reading with 4008 and releases its channel', async () => {
    const slow = await platform.startAnotherGateway({
      gatewayConfig: { SUBSCRIPTION_BUFFER_LIMIT: 2 },
    });
    const user = newUser();
    const raw = await openRawSocket(slow, await bearer(user));
    raw.send({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { notificationAdded { id message } }' },
    });
    await redis.waitForSubscribers(user, 1);

    tcpSocketOf(raw.socket).pause();
    // Large notifications fill the operating system's buffers, then the gateway's.
    const big = 'x'.repeat(512 * 1024);
    // Paced, so a busy machine resolves them as they come rather than in one late burst.
    for (let sent = 0; sent < 200 && (await redis.subscribers(user)) > 0; sent += 1) {
      await redis.publish(user, platform.notifications.add(user, big));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await redis.waitForSubscribers(user, 0, 30_000);
    expect(slow.subscriptions.activeCount()).toBe(0);

    tcpSocketOf(raw.socket).resume();
    expect(await within(raw.closed, 'the socket to close')).toEqual({
      code: 4008,
      reason: 'Buffer limit exceeded',
    });
  }, 60_000);

  it('cuts a socket that does not answer pings and releases its channel', async () => {
    const pinging = await platform.startAnotherGateway({ gatewayConfig: { KEEPALIVE_MS: 200 } });
    const user = newUser();
    const raw = await openRawSocket(pinging, await bearer(user));
    raw.send({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { notificationAdded { id } }' },
    });
    await redis.waitForSubscribers(user, 1);

    tcpSocketOf(raw.socket).pause();
    await redis.waitForSubscribers(user, 0);
    expect(pinging.subscriptions.activeCount()).toBe(0);
    tcpSocketOf(raw.socket).resume();
    expect((await within(raw.closed, 'the socket to close')).code).toBe(1006);
  });
});
