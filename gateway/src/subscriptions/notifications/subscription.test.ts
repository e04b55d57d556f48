import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, print, type GraphQLError } from 'graphql';
import { costModelFromSdl } from '../../cost/model.js';
import { readSubscriptionRequest, type SubscribePayload } from '../subscription-request.js';
import {
  NOTIFICATION_ADDED,
  readNotificationSubscription,
  type NotificationSubscription,
} from './subscription.js';

const SDL = `
  type Notification { id: ID! cursor: String! message(upper: Boolean): String! actor: User }
  type User { id: ID! name(style: String): String! }
  type Query {
    notification(id: ID!): Notification
    notificationsSince(since: String, first: Int = 100): [Notification!]!
  }
  type Subscription { notificationAdded(since: String): Notification! other: String }
`;
const schema = buildSchema(SDL);
const limits = { costLimits: {}, costModel: costModelFromSdl(SDL) };

function read(
  query: string,
  variables?: Record<string, unknown>,
  operationName?: string,
): NotificationSubscription {
  const subscription = readNotificationSubscribe({ query, variables, operationName });
  if (Array.isArray(subscription)) throw new Error(subscription.map((e) => e.message).join());
  return subscription;
}

function errorOf(query: string, variables?: Record<string, unknown>) {
  const result = readNotificationSubscribe({ query, variables });
  expect(Array.isArray(result)).toBe(true);
  const [error] = result as GraphQLError[];
  return { message: error!.message, code: error!.extensions.code };
}

/** The same document, printed canonically, so tests do not depend on whitespace. */
/** What the subscription server does with a subscribe message for this source. */
function readNotificationSubscribe(payload: SubscribePayload) {
  const request = readSubscriptionRequest(schema, payload, [NOTIFICATION_ADDED], limits);
  return Array.isArray(request) ? request : readNotificationSubscription(request);
}

const canonical = (query: string) => print(parse(query));

describe('reading a notificationAdded subscription', () => {
  it('rewrites the selection into a query by id and a replay page, keeping what it uses', () => {
    const subscription = read(
      `subscription Live($upper: Boolean, $style: String, $since: String) {
        added: notificationAdded(since: $since) { ...Text actor { name(style: $style) } }
      }
      fragment Text on Notification { message(upper: $upper) }
      query Other($unused: ID!) { notification(id: $unused) { ...OnlyForOther } }
      fragment OnlyForOther on Notification { id }`,
      { upper: true, unused: 'x', style: 'short', since: '00000000000000000007' },
      'Live',
    );

    expect(subscription.responseKey).toBe('added');
    expect(subscription.since).toBe(7n);
    const { byId, replay } = subscription.queries;
    // $since is the client's: the gateway's own variables get names the operation does not use.
    expect(byId.idVariable).toBe('id');
    expect(canonical(byId.query)).toBe(
      canonical(`query NotificationAdded($id: ID!, $upper: Boolean, $style: String) {
        notification(id: $id) { ...Text actor { name(style: $style) } }
      }
      fragment Text on Notification { message(upper: $upper) }`),
    );
    expect(byId.variables).toEqual({ upper: true, style: 'short' });
    expect(replay.sinceVariable).toBe('since1');
    expect(canonical(replay.query)).toBe(
      canonical(`query NotificationAddedReplay($since1: String, $upper: Boolean, $style: String) {
        notificationsSince(since: $since1, first: 100) {
          replayCursor: cursor ...Text actor { name(style: $style) }
        }
      }
      fragment Text on Notification { message(upper: $upper) }`),
    );
  });

  it('picks a cursor alias the selection does not already use', () => {
    const { replay } = read(
      'subscription { notificationAdded { replayCursor: message ... on Notification { cursor } } }',
    ).queries;
    expect(replay.cursorKey).toBe('replayCursor1');
  });

  it('reads since from a literal, and live-only without it', () => {
    expect(read('subscription { notificationAdded(since: "42") { id } }').since).toBe(42n);
    expect(read('subscription { notificationAdded { id } }').since).toBeUndefined();
  });

  it('refuses what it cannot serve, each with its code', () => {
    expect(errorOf('subscription { notificationAdded { id nope } }')).toEqual({
      message: 'Cannot query field "nope" on type "Notification".',
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    expect(errorOf('subscription { notificationAdded { id }')).toMatchObject({
      code: 'GRAPHQL_PARSE_FAILED',
    });
    for (const query of [
      'subscription { other }',
      '{ notification(id: "1") { id } }',
      'subscription { ... on Subscription { notificationAdded { id } } }',
    ]) {
      expect(errorOf(query)).toEqual({
        message: 'Only notificationAdded can be subscribed',
        code: 'BAD_REQUEST',
      });
    }
    expect(errorOf('subscription { notificationAdded(since: "soon") { id } }')).toEqual({
      message: 'since is not a notification cursor',
      code: 'BAD_USER_INPUT',
    });
    expect(
      errorOf('subscription ($since: String!) { notificationAdded(since: $since) { id } }', {}),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
