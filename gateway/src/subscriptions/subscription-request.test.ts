import { describe, expect, it } from '@jest/globals';
import { buildSchema, type GraphQLError } from 'graphql';
import { costModelFromSdl } from '../cost/model.js';
import { readSubscriptionRequest, type SubscriptionRequest } from './subscription-request.js';

const SDL = `
  type Notification { id: ID! message: String! actor: User }
  type User { id: ID! name: String! memberships: [Membership!]! }
  type Membership { user: User! }
  type Query { notification(id: ID!): Notification }
  type Subscription { notificationAdded(since: String): Notification! }
`;
const schema = buildSchema(SDL);
const costModel = costModelFromSdl(SDL);
/** The gateway's defaults. */
const costLimits = {
  maxCost: 5000,
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 10,
  maxTokens: 5000,
};

function read(query: string, limits = costLimits): SubscriptionRequest | GraphQLError[] {
  return readSubscriptionRequest(schema, { query }, ['notificationAdded'], {
    costLimits: limits,
    costModel,
  });
}

function refusal(query: string, limits = costLimits) {
  const result = read(query, limits);
  if (!Array.isArray(result)) throw new Error('expected the subscribe to be refused');
  expect(result).toHaveLength(1);
  return { message: result[0]!.message, extensions: result[0]!.extensions };
}

/** `actor { memberships { user { memberships { user { ... } } } } }`: the 70 KB frame. */
function nested(levels: number): string {
  const open = 'memberships { user { '.repeat(levels);
  return `subscription { notificationAdded { actor { ${open} id ${'} } '.repeat(levels)} } } }`;
}

describe('the limits on a subscribe', () => {
  it('refuses a 3,000-deep document by its tokens, before the recursive parser can exhaust the stack', () => {
    const query = nested(3000);
    expect(query.length).toBeGreaterThan(70_000);
    expect(refusal(query)).toEqual({
      message: 'Operation nests at least 65 levels deep, over the depth limit of 12',
      extensions: { code: 'DEPTH_LIMIT_EXCEEDED', depth: 65, limit: 12 },
    });
    // Brackets of input objects and lists count too: they recurse in the parser alike.
    const deepArgument = `subscription { notificationAdded(since: ${'['.repeat(100)}"1"${']'.repeat(100)}) { id } }`;
    expect(refusal(deepArgument).extensions).toMatchObject({ code: 'DEPTH_LIMIT_EXCEEDED' });
  });

  it('stops the lexer at the token limit', () => {
    const fields = Array.from({ length: 6000 }, () => 'id').join(' ');
    expect(refusal(`subscription { notificationAdded { ${fields} } }`)).toEqual({
      message: 'Operation has more than 5000 tokens, the limit',
      extensions: { code: 'TOKEN_LIMIT_EXCEEDED', limit: 5000 },
    });
  });

  it('refuses 100,000 aliases by their tokens without parsing them all', () => {
    const aliases = Array.from({ length: 100_000 }, (_, i) => `a${i}: id`).join(' ');
    expect(refusal(`subscription { notificationAdded { ${aliases} } }`).extensions).toMatchObject({
      code: 'TOKEN_LIMIT_EXCEEDED',
      limit: 5000,
    });
  });

  it('refuses a document within the token limit but over the depth, alias or cost limit', () => {
    expect(refusal(nested(6)).extensions).toEqual({
      code: 'DEPTH_LIMIT_EXCEEDED',
      depth: 15,
      limit: 12,
    });
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
    expect(refusal(`subscription { notificationAdded { ${aliases} } }`).extensions).toEqual({
      code: 'ALIAS_LIMIT_EXCEEDED',
      aliases: 31,
      limit: 30,
    });
    expect(refusal(nested(3), { ...costLimits, maxCost: 100 }).extensions).toMatchObject({
      code: 'COST_LIMIT_EXCEEDED',
      limit: 100,
    });
  });

  it('checks the limits before validation, and validates what passes them', () => {
    expect(
      refusal(`subscription { notificationAdded { ${nested(5)} nope } }`).extensions,
    ).toMatchObject({
      code: 'DEPTH_LIMIT_EXCEEDED',
    });
    expect(refusal('subscription { notificationAdded { id nope } }').extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
  });

  it('measures an accepted subscribe', () => {
    const request = read('subscription { notificationAdded { id actor { name } } }');
    expect(Array.isArray(request)).toBe(false);
    expect((request as SubscriptionRequest).measure).toEqual({
      cost: 2,
      depth: 3,
      aliases: 0,
      rootFields: 1,
    });
  });
});

describe('a subscription text many sockets send', () => {
  it('is parsed and validated once per schema: every subscribe shares one document', () => {
    const query = 'subscription { notificationAdded { id message } }';
    const first = read(query) as SubscriptionRequest;
    const second = read(query) as SubscriptionRequest;
    expect(Array.isArray(first)).toBe(false);
    expect(second.document).toBe(first.document);
    const otherSchema = buildSchema(SDL);
    const elsewhere = readSubscriptionRequest(otherSchema, { query }, ['notificationAdded'], {
      costLimits,
      costModel,
    }) as SubscriptionRequest;
    expect(elsewhere.document).not.toBe(first.document);
  });

  it('is still held to the limits and its variables on every subscribe', () => {
    const query =
      'subscription ($since: String) { notificationAdded(since: $since) { id actor { name } } }';
    expect(Array.isArray(read(query))).toBe(false);
    expect(refusal(query, { ...costLimits, maxDepth: 2 }).extensions).toMatchObject({
      code: 'DEPTH_LIMIT_EXCEEDED',
    });
    const badVariables = readSubscriptionRequest(
      schema,
      { query, variables: { since: 7 } },
      ['notificationAdded'],
      { costLimits, costModel },
    );
    expect(Array.isArray(badVariables) && badVariables[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('that is invalid is refused every time, never kept', () => {
    const query = 'subscription { notificationAdded { id nope } }';
    expect(refusal(query).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(refusal(query).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
