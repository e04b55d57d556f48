import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, userPrincipal } from '@platform/testing';
import { documentEvent, memberAdded } from './fixtures.js';
import { newUserId, startTestSubgraph, type TestSubgraph } from './harness.js';

interface Node {
  id: string;
  cursor: string;
  message: string;
  read: boolean;
}

const NODE = 'id cursor message read';

const USER_NOTIFICATIONS = `query ($representations: [_Any!]!, $first: Int, $after: String, $unreadOnly: Boolean) {
  _entities(representations: $representations) {
    ... on User {
      id
      unreadCount
      notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
        edges { cursor node { ${NODE} } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}`;

const UNREAD_COUNT = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id unreadCount } }
}`;

const SINCE = `query ($since: String, $first: Int) { notificationsSince(since: $since, first: $first) { ${NODE} } }`;

type Since = { notificationsSince: Node[] };
type UserEntities = {
  _entities: Array<{
    id: string;
    unreadCount: number;
    notifications: {
      edges: Array<{ cursor: string; node: Node }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null>;
};

let api: TestSubgraph;
const [ana, bo, cy] = [newUserId(), newUserId(), newUserId()];
/** Bo's five notifications, oldest first; cy has one of her own. */
let bos: Node[];
let cys: Node[];

async function since(user: string, variables: Record<string, unknown> = {}) {
  return api.graphql<Since>(SINCE, variables, userPrincipal(user));
}

async function userNotifications(user: string, variables: Record<string, unknown> = {}) {
  const result = await api.graphql<UserEntities>(
    USER_NOTIFICATIONS,
    { representations: [{ __typename: 'User', id: user }], ...variables },
    userPrincipal(user),
  );
  expect(result.errors).toBeUndefined();
  return result.data!._entities[0]!;
}

beforeAll(async () => {
  api = await startTestSubgraph({ consume: false });
  for (const title of ['one', 'two', 'three', 'four']) {
    await api.delivery.handle(
      documentEvent('document.updated', { actorId: ana, memberIds: [ana, bo], title }),
    );
  }
  await api.delivery.handle(memberAdded({ actorId: ana, userId: bo, name: 'five' }));
  await api.delivery.handle(memberAdded({ actorId: ana, userId: cy, name: 'hers' }));
  bos = (await since(bo)).data!.notificationsSince;
  cys = (await since(cy)).data!.notificationsSince;
});

afterAll(async () => {
  await api?.stop();
});

describe('notificationsSince', () => {
  it("returns all the caller's notifications oldest first when since is omitted", () => {
    expect(bos.map((node) => node.message)).toEqual([
      'Document "one" was updated',
      'Document "two" was updated',
      'Document "three" was updated',
      'Document "four" was updated',
      'You were added to project "five"',
    ]);
    expect(cys).toHaveLength(1);
  });

  it('returns exactly the notifications after a cursor, in order', async () => {
    const result = await since(bo, { since: bos[1]!.cursor });
    expect(result.errors).toBeUndefined();
    expect(result.data!.notificationsSince.map((node) => node.id)).toEqual(
      bos.slice(2).map((node) => node.id),
    );
    expect((await since(bo, { since: bos[4]!.cursor })).data!.notificationsSince).toEqual([]);
  });

  it('returns at most `first`, so a replay can go on from the last cursor', async () => {
    const first = await since(bo, { first: 2 });
    const rest = await since(bo, { first: 2, since: first.data!.notificationsSince[1]!.cursor });
    expect(first.data!.notificationsSince.map((node) => node.id)).toEqual([bos[0]!.id, bos[1]!.id]);
    expect(rest.data!.notificationsSince.map((node) => node.id)).toEqual([bos[2]!.id, bos[3]!.id]);
  });

  it('gives cursors that increase as strings and as integers', () => {
    const cursors = bos.map((node) => node.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    const asIntegers = cursors.map(BigInt);
    expect(asIntegers.every((value, i) => i === 0 || value > asIntegers[i - 1]!)).toBe(true);
  });

  it('refuses a since that is not a cursor, and a first outside 1..500, with BAD_USER_INPUT', async () => {
    for (const variables of [
      { since: 'not-a-cursor' },
      { since: '-1' },
      { since: '99999999999999999999' },
      { first: 0 },
      { first: 501 },
    ]) {
      const result = await since(bo, variables);
      expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
    }
    expect((await since(bo, { first: 500 })).errors).toBeUndefined();
  });
});

describe('Query.notification', () => {
  it("returns one of the caller's notifications with its actor and subject as references", async () => {
    const result = await api.graphql<{ notification: Record<string, unknown> }>(
      `query ($id: ID!) {
        notification(id: $id) {
          id cursor kind message read createdAt
          actor { __typename id }
          subject { __typename ... on Document { id } ... on Project { id } }
        }
      }`,
      { id: bos[4]!.id },
      userPrincipal(bo),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.notification).toEqual({
      id: bos[4]!.id,
      cursor: bos[4]!.cursor,
      kind: 'PROJECT_MEMBER_ADDED',
      message: 'You were added to project "five"',
      read: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: { __typename: 'User', id: ana },
      subject: { __typename: 'Project', id: expect.any(String) },
    });
  });

  it("is null for another user's notification and for ids that are not notifications", async () => {
    for (const id of [cys[0]!.id, 'nope', '0', '999999999']) {
      const result = await api.graphql(
        'query ($id: ID!) { notification(id: $id) { id } }',
        { id },
        userPrincipal(bo),
      );
      expect(result).toEqual({ status: 200, data: { notification: null } });
    }
  });
});

describe('User.notifications', () => {
  it('pages newest first with keyset cursors', async () => {
    const first = await userNotifications(bo, { first: 2 });
    const second = await userNotifications(bo, {
      first: 2,
      after: first.notifications.pageInfo.endCursor,
    });
    const third = await userNotifications(bo, {
      first: 2,
      after: second.notifications.pageInfo.endCursor,
    });
    const newestFirst = [...bos].reverse().map((node) => node.id);
    expect(first.notifications.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
    expect(second.notifications.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(2, 4));
    expect(third.notifications.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(4));
    expect(first.notifications.pageInfo.hasNextPage).toBe(true);
    expect(third.notifications.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: third.notifications.edges[0]!.cursor,
    });
    expect(first.notifications.edges.map((edge) => edge.cursor)).toEqual(
      first.notifications.edges.map((edge) => edge.node.cursor),
    );
  });

  it('refuses an after that is not a cursor and a first above 100', async () => {
    for (const variables of [{ after: 'abc' }, { first: 101 }]) {
      const result = await api.graphql(
        USER_NOTIFICATIONS,
        { representations: [{ __typename: 'User', id: bo }], ...variables },
        userPrincipal(bo),
      );
      expect(errorCodes(result)).toContain('BAD_USER_INPUT');
    }
  });

  it("refuses another user's notifications and unread count with FORBIDDEN", async () => {
    const result = await api.graphql<UserEntities>(
      USER_NOTIFICATIONS,
      { representations: [{ __typename: 'User', id: bo }] },
      userPrincipal(cy),
    );
    expect(result.data!._entities).toEqual([null]);
    expect(new Set(errorCodes(result))).toEqual(new Set(['FORBIDDEN']));
  });

  it('loads several pages asked for in one request with one batch', async () => {
    const before = await api.metric('notification_reference_batches_total', {
      type: 'NotificationPage',
    });
    const result = await api.graphql<{
      _entities: Array<{ newest: { edges: unknown[] }; unread: { edges: unknown[] } }>;
    }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on User {
            newest: notifications(first: 1) { edges { cursor } }
            unread: notifications(first: 3, unreadOnly: true) { edges { cursor } }
          }
        }
      }`,
      { representations: [{ __typename: 'User', id: bo }] },
      userPrincipal(bo),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities[0]!.newest.edges).toHaveLength(1);
    expect(result.data!._entities[0]!.unread.edges).toHaveLength(3);
    expect(
      await api.metric('notification_reference_batches_total', { type: 'NotificationPage' }),
    ).toBe(before + 1);
  });

  it('loads the unread counts of all the users of a request in one batch', async () => {
    const before = await api.metric('notification_reference_batches_total', {
      type: 'UnreadCount',
    });
    const result = await api.graphql<{ _entities: Array<{ unreadCount: number } | null> }>(
      UNREAD_COUNT,
      {
        representations: [bo, cy, bo].map((id) => ({ __typename: 'User', id })),
      },
      userPrincipal(bo),
    );
    expect(result.data!._entities).toEqual([
      { id: bo, unreadCount: 5 },
      null,
      { id: bo, unreadCount: 5 },
    ]);
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(await api.metric('notification_reference_batches_total', { type: 'UnreadCount' })).toBe(
      before + 1,
    );
  });
});

describe('Notification references', () => {
  it("resolves many references in one batch, the caller's own only", async () => {
    const before = await api.metric('notification_reference_batches_total', {
      type: 'Notification',
    });
    const ids = [...bos.map((node) => node.id), cys[0]!.id, 'not-an-id'];
    const result = await api.graphql<{ _entities: Array<{ id: string } | null> }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Notification { id message } }
      }`,
      { representations: ids.map((id) => ({ __typename: 'Notification', id })) },
      userPrincipal(bo),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities.map((entity) => entity?.id ?? null)).toEqual([
      ...bos.map((node) => node.id),
      null,
      null,
    ]);
    expect(await api.metric('notification_reference_batches_total', { type: 'Notification' })).toBe(
      before + 1,
    );
  });
});

describe('marking notifications read', () => {
  // Runs last: it changes bo's read state.
  it("marks the caller's notifications read, ignores others', and updates counts and filters", async () => {
    const marked = await api.graphql<{ markNotificationsRead: Node[] }>(
      `mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) { ${NODE} } }`,
      { ids: [bos[0]!.id, cys[0]!.id, 'junk', bos[1]!.id, bos[0]!.id] },
      userPrincipal(bo),
    );
    expect(marked.errors).toBeUndefined();
    expect(marked.data!.markNotificationsRead).toEqual([
      { ...bos[0], read: true },
      { ...bos[1], read: true },
    ]);

    const after = await userNotifications(bo, { unreadOnly: true });
    expect(after.unreadCount).toBe(3);
    expect(after.notifications.edges.map((edge) => edge.node.id)).toEqual(
      bos
        .slice(2)
        .reverse()
        .map((node) => node.id),
    );
    const herCount = await api.graphql<{ _entities: Array<{ unreadCount: number }> }>(
      UNREAD_COUNT,
      { representations: [{ __typename: 'User', id: cy }] },
      userPrincipal(cy),
    );
    expect(herCount.data!._entities[0]!.unreadCount).toBe(1);

    const all = await api.graphql<{ markAllNotificationsRead: number }>(
      'mutation { markAllNotificationsRead }',
      {},
      userPrincipal(bo),
    );
    expect(all.data).toEqual({ markAllNotificationsRead: 3 });
    const again = await api.graphql('mutation { markAllNotificationsRead }', {}, userPrincipal(bo));
    expect(again.data).toEqual({ markAllNotificationsRead: 0 });
    expect((await userNotifications(bo)).unreadCount).toBe(0);
  });

  it('refuses more than 500 ids with BAD_USER_INPUT', async () => {
    const result = await api.graphql(
      'mutation ($ids: [ID!]!) { markNotificationsRead(ids: $ids) { id } }',
      { ids: Array.from({ length: 501 }, (_, i) => String(i + 1)) },
      userPrincipal(bo),
    );
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('access', () => {
  it('needs the write scope for mutations and the read scope for queries', async () => {
    const readOnly = userPrincipal(bo, { scopes: ['read'] });
    const writeOnly = userPrincipal(bo, { scopes: ['write'] });
    expect(
      (await api.graphql('{ notificationsSince { id } }', {}, readOnly)).errors,
    ).toBeUndefined();
    expect(
      errorCodes(await api.graphql('mutation { markAllNotificationsRead }', {}, readOnly)),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.graphql('{ notificationsSince { id } }', {}, writeOnly))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const result = await api.graphql('{ notificationsSince { id } }');
    expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers a subscription over HTTP with SUBSCRIPTIONS_VIA_GATEWAY', async () => {
    const result = await api.graphql(
      'subscription { notificationAdded { id } }',
      {},
      userPrincipal(bo),
    );
    expect(errorCodes(result)).toEqual(['SUBSCRIPTIONS_VIA_GATEWAY']);
  });
});
