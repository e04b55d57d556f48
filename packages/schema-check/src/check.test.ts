import { describe, expect, it } from '@jest/globals';
import { buildSchema, Source } from 'graphql';
import { checkSchema, type DocumentSet } from './check.js';
import type { IntendedBreak } from './intended-breaks.js';

const released = buildSchema(/* GraphQL */ `
  enum Role {
    USER
    ADMIN
  }
  type User {
    id: ID!
    name: String!
    email: String
    role: Role!
  }
  type Query {
    me: User
  }
`);

/** The released schema with `edit` applied to its SDL. */
const changed = (edit: (sdl: string) => string) =>
  buildSchema(
    edit(`
      enum Role { USER ADMIN }
      type User { id: ID! name: String! email: String role: Role! }
      type Query { me: User }
    `),
  );

const sdk = (...operations: string[]): DocumentSet[] => [
  {
    consumer: 'sdk',
    sources: operations.map((body, index) => new Source(body, `op-${index}.graphql`)),
  },
];

const emailRemoved = changed((sdl) => sdl.replace('email: String', ''));
const removal: IntendedBreak = {
  path: 'User.email',
  type: 'FIELD_REMOVED',
  reason: 'e-mail moved to Account.email in 2.0',
};

describe('checkSchema', () => {
  it('fails on a removed field and names it', async () => {
    const result = await checkSchema({
      released,
      current: emailRemoved,
      documents: [],
      intended: [],
    });
    expect(result.ok).toBe(false);
    expect(result.breaking.map((change) => [change.path, change.type])).toEqual([
      ['User.email', 'FIELD_REMOVED'],
    ]);
  });

  it('passes an added field as a safe change', async () => {
    const result = await checkSchema({
      released,
      current: changed((sdl) => sdl.replace('role: Role!', 'role: Role! avatarUrl: String')),
      documents: sdk('query Me { me { id name email } }'),
      intended: [],
    });
    expect(result.ok).toBe(true);
    expect(result.breaking).toEqual([]);
    expect(result.safe.map((change) => change.path)).toEqual(['User.avatarUrl']);
  });

  it('lets a break listed as intended pass, with its reason', async () => {
    const result = await checkSchema({
      released,
      current: emailRemoved,
      documents: [],
      intended: [removal],
    });
    expect(result.ok).toBe(true);
    expect(result.breaking).toEqual([]);
    expect(result.accepted.map(({ change, entry }) => [change.path, entry.reason])).toEqual([
      ['User.email', removal.reason],
    ]);
  });

  it('does not let an entry of another change type accept a break at the same path', async () => {
    const result = await checkSchema({
      released,
      current: emailRemoved,
      documents: [],
      intended: [{ ...removal, type: 'FIELD_TYPE_CHANGED' }],
    });
    expect(result.ok).toBe(false);
    expect(result.breaking.map((change) => change.path)).toEqual(['User.email']);
    expect(result.staleEntries).toEqual([{ ...removal, type: 'FIELD_TYPE_CHANGED' }]);
  });

  it('fails on an intended entry that names no breaking change (stale)', async () => {
    const result = await checkSchema({
      released,
      current: released,
      documents: [],
      intended: [removal],
    });
    expect(result.ok).toBe(false);
    expect(result.staleEntries).toEqual([removal]);
  });

  it('fails on a client operation that uses a removed field, even when the break is intended', async () => {
    const result = await checkSchema({
      released,
      current: emailRemoved,
      documents: sdk('query Me { me { id email } }', 'query Name { me { name } }'),
      intended: [removal],
    });
    expect(result.ok).toBe(false);
    expect(result.invalidDocuments.map((document) => document.location)).toEqual(['op-0.graphql']);
    expect(result.invalidDocuments[0]!.errors[0]!.message).toMatch(/email/);
  });

  it('validates operations with the fragments of their own set', async () => {
    const result = await checkSchema({
      released,
      current: released,
      documents: sdk(
        'fragment UserFields on User { id name }',
        'query Me { me { ...UserFields role } }',
      ),
      intended: [],
    });
    expect(result.invalidDocuments).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('reports an added enum value as dangerous without failing', async () => {
    const result = await checkSchema({
      released,
      current: changed((sdl) => sdl.replace('USER ADMIN', 'USER ADMIN GUEST')),
      documents: [],
      intended: [],
    });
    expect(result.ok).toBe(true);
    expect(result.dangerous.map((change) => change.path)).toEqual(['Role.GUEST']);
  });

  it('reports a deprecated field a client uses as a warning without failing', async () => {
    const result = await checkSchema({
      released,
      current: changed((sdl) => sdl.replace('email: String', 'email: String @deprecated')),
      documents: sdk('query Me { me { email } }'),
      intended: [],
    });
    expect(result.ok).toBe(true);
    expect(result.deprecatedUsages.map((document) => document.location)).toEqual(['op-0.graphql']);
  });
});
