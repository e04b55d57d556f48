import { describe, expect, it } from '@jest/globals';
import { buildSchema, execute, parse } from 'graphql';
import type { NotificationEntity } from '@platform/realtime';
import { costModelFromSdl } from '../../cost/model.js';
import { readSubscriptionRequest, type SubscriptionRequest } from '../subscription-request.js';
import { NOTIFICATION_ADDED, readNotificationSubscription } from './subscription.js';

/** The API schema's notification types as the supergraph serves them, and one field added later. */
const SDL = `
  scalar DateTime
  enum NotificationKind { DOCUMENT_CREATED DOCUMENT_UPDATED }
  interface Node { id: ID! }
  type Notification {
    id: ID! cursor: String! kind: NotificationKind! message: String! read: Boolean!
    createdAt: DateTime! actor: User subject: NotificationSubject
    priority: Int
  }
  union NotificationSubject = Document | Project
  type User implements Node { id: ID! name: String! }
  type Document implements Node { id: ID! title: String! project: Project! }
  type Project implements Node { id: ID! name: String! }
  type Query { notification(id: ID!): Notification }
  type Subscription { notificationAdded(since: String): Notification! }
`;
const schema = buildSchema(SDL);
const limits = { costLimits: {}, costModel: costModelFromSdl(SDL) };

const entity: NotificationEntity = {
  id: '42',
  cursor: '00000000000000000042',
  kind: 'DOCUMENT_UPDATED',
  message: 'Document "Plan" was updated',
  read: false,
  createdAt: '2026-12-04T04:00:00.000Z',
  actor: { __typename: 'User', id: 'u-bob' },
  subject: { __typename: 'Document', id: 'd-1' },
};

function requestOf(query: string, variables: Record<string, unknown> = {}): SubscriptionRequest {
  const request = readSubscriptionRequest(
    schema,
    { query, variables },
    [NOTIFICATION_ADDED],
    limits,
  );
  if (Array.isArray(request)) throw new Error(request.map((error) => error.message).join());
  return request;
}

function projectionOf(query: string, variables: Record<string, unknown> = {}) {
  const subscription = readNotificationSubscription(requestOf(query, variables));
  if (Array.isArray(subscription)) throw new Error(subscription.map((e) => e.message).join());
  return subscription.projection;
}

/** What graphql-js's executor answers for the same selection with the message as the notification. */
function executed(query: string, variables: Record<string, unknown>, value: NotificationEntity) {
  const result = execute({
    schema,
    document: parse(query),
    rootValue: { notificationAdded: value },
    variableValues: variables,
  }) as { data?: Record<string, unknown>; errors?: unknown };
  expect(result.errors).toBeUndefined();
  return Object.values(result.data!)[0];
}

/** Served from the message, and exactly what graphql-js would answer, keys in the same order. */
function expectServed(
  query: string,
  variables: Record<string, unknown> = {},
  value: NotificationEntity = entity,
) {
  const projection = projectionOf(query, variables);
  expect(projection).toBeDefined();
  const projected = projection!(value);
  const expected = executed(query, variables, value);
  expect(projected).toEqual(expected);
  expect(JSON.stringify(projected)).toBe(JSON.stringify(expected));
  return projected;
}

describe('serving a notificationAdded selection from the published message', () => {
  it('serves the notification fields, __typename and the ids of what it refers to', () => {
    expect(
      expectServed(`subscription {
        notificationAdded {
          __typename id cursor kind message read createdAt
          actor { __typename id }
          subject { __typename ... on Document { id } ... on Project { id } }
        }
      }`),
    ).toEqual({
      __typename: 'Notification',
      id: '42',
      cursor: '00000000000000000042',
      kind: 'DOCUMENT_UPDATED',
      message: 'Document "Plan" was updated',
      read: false,
      createdAt: '2026-12-04T04:00:00.000Z',
      actor: { __typename: 'User', id: 'u-bob' },
      subject: { __typename: 'Document', id: 'd-1' },
    });
  });

  it('answers under aliases, merging repeated fields and sub-selections per response key', () => {
    expect(
      expectServed(`subscription {
        added: notificationAdded {
          when: createdAt id
          who: actor { id } who: actor { kind: __typename }
          id
          seen: read
        }
      }`),
    ).toEqual({
      when: '2026-12-04T04:00:00.000Z',
      id: '42',
      who: { id: 'u-bob', kind: 'User' },
      seen: false,
    });
  });

  it('follows named and inline fragments whose type condition applies, interfaces included', () => {
    const query = `subscription {
      notificationAdded {
        ...Row
        subject { ...OnDocument ... on Project { projectId: id } ... on Node { nodeId: id } }
        actor { ... on Node { id } }
      }
    }
    fragment Row on Notification { id ... on Notification { kind } }
    fragment OnDocument on Document { documentId: id }`;
    expect(expectServed(query)).toEqual({
      id: '42',
      kind: 'DOCUMENT_UPDATED',
      subject: { documentId: 'd-1', nodeId: 'd-1' },
      actor: { id: 'u-bob' },
    });
    expect(
      expectServed(query, {}, { ...entity, subject: { __typename: 'Project', id: 'p-1' } }),
    ).toMatchObject({ subject: { projectId: 'p-1', nodeId: 'p-1' } });
    expect(expectServed(query, {}, { ...entity, actor: null, subject: null })).toMatchObject({
      actor: null,
      subject: null,
    });
  });

  it('applies @include and @skip with the subscriber variables, even around fields it cannot serve', () => {
    const query = `subscription ($full: Boolean!, $quiet: Boolean = false) {
      notificationAdded {
        id
        kind @skip(if: $quiet)
        actor @include(if: $full) { name }
        ... @include(if: $full) { priority }
      }
    }`;
    expect(expectServed(query, { full: false })).toEqual({ id: '42', kind: 'DOCUMENT_UPDATED' });
    expect(expectServed(query, { full: false, quiet: true })).toEqual({ id: '42' });
    expect(projectionOf(query, { full: true })).toBeUndefined();
  });

  it('leaves to the pipeline any field the message does not carry, at any depth', () => {
    for (const selection of [
      'id priority',
      'id actor { name }',
      'subject { ... on Document { title } }',
      'subject { ... on Document { project { id } } }',
      '...F',
    ]) {
      const fragment = selection === '...F' ? 'fragment F on Notification { cursor priority }' : '';
      expect(
        projectionOf(`subscription { notificationAdded { ${selection} } } ${fragment}`),
      ).toBeUndefined();
    }
  });

  it('leaves to the pipeline a message whose values the API schema would not serve', () => {
    const projection = projectionOf('subscription { notificationAdded { id kind } }')!;
    expect(projection({ ...entity, kind: 'PROJECT_RENAMED' })).toBeUndefined();
    const withoutKind = { ...entity } as Partial<NotificationEntity>;
    delete withoutKind.kind;
    expect(projection(withoutKind as NotificationEntity)).toBeUndefined();
  });

  it('leaves to the pipeline a referenced entity of a type the API schema does not have', () => {
    const narrow = buildSchema(
      SDL.replace(
        'union NotificationSubject = Document | Project',
        'union NotificationSubject = Document',
      ),
    );
    const request = readSubscriptionRequest(
      narrow,
      { query: 'subscription { notificationAdded { subject { __typename } } }' },
      [NOTIFICATION_ADDED],
      limits,
    ) as SubscriptionRequest;
    const subscription = readNotificationSubscription(request);
    if (Array.isArray(subscription)) throw new Error('refused');
    const projection = subscription.projection!;
    expect(projection(entity)).toEqual({ subject: { __typename: 'Document' } });
    expect(
      projection({ ...entity, subject: { __typename: 'Project', id: 'p-1' } }),
    ).toBeUndefined();
  });
});
