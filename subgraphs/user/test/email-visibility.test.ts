import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '@platform/identity';
import { errorCodes, userPrincipal } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

/**
 * User.email as the gateway reaches it: an `_entities` call whose representations carry what the
 * data subgraph said of shared projects (`sharesProjectWithViewer`, which `email` requires).
 */
const EMAILS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id email } }
}`;

type Emails = { _entities: Array<{ id: string; email: string | null } | null> };
type Person = Awaited<ReturnType<TestSubgraph['signUp']>>;

let api: TestSubgraph;
let viewer: Person;
let stranger: Person;
let colleague: Person;

beforeAll(async () => {
  api = await startTestSubgraph();
  [viewer, stranger, colleague] = [await api.signUp(), await api.signUp(), await api.signUp()];
  const created = await api.graphql<{ createOrganization: { id: string } }>(
    'mutation { createOrganization(name: "Shared") { id } }',
    {},
    viewer.principal,
  );
  const added = await api.graphql(
    `mutation ($o: ID!, $u: ID!) { addOrganizationMember(organizationId: $o, userId: $u, role: MEMBER) { role } }`,
    { o: created.data!.createOrganization.id, u: colleague.id },
    viewer.principal,
  );
  expect(added.errors).toBeUndefined();
});

afterAll(async () => {
  await api?.stop();
});

async function emailsSeenBy(
  principal: Principal,
  people: Person[],
  sharesProjectWithViewer = false,
): Promise<Array<string | null>> {
  const result = await api.graphql<Emails>(
    EMAILS,
    {
      representations: people.map(({ id }) => ({
        __typename: 'User',
        id,
        sharesProjectWithViewer,
      })),
    },
    principal,
  );
  expect(result.errors).toBeUndefined();
  return result.data!._entities.map((user) => user?.email ?? null);
}

describe('who reads a user’s e-mail', () => {
  it('hides a stranger’s e-mail with null and no error, and shows a shared organization’s', async () => {
    expect(await emailsSeenBy(viewer.principal, [stranger, colleague])).toEqual([
      null,
      colleague.email,
    ]);
    // Membership works both ways.
    expect(await emailsSeenBy(colleague.principal, [viewer])).toEqual([viewer.email]);
  });

  it('shows the e-mail of a user the data subgraph says shares a project with the caller', async () => {
    expect(await emailsSeenBy(viewer.principal, [stranger], true)).toEqual([stranger.email]);
  });

  it('shows the caller their own e-mail, and an administrator everyone’s', async () => {
    expect(await emailsSeenBy(stranger.principal, [stranger])).toEqual([stranger.email]);
    const admin = await api.makeAdmin((await api.signUp()).id);
    expect(await emailsSeenBy(admin, [stranger, colleague])).toEqual([
      stranger.email,
      colleague.email,
    ]);
  });

  it('still needs the read scope: a write-only key gets null and FORBIDDEN, even for itself', async () => {
    const writeOnly = userPrincipal(viewer.id, { scopes: ['write'] });
    const result = await api.graphql<Emails>(
      EMAILS,
      { representations: [{ __typename: 'User', id: viewer.id, sharesProjectWithViewer: true }] },
      writeOnly,
    );
    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
    expect(result.data!._entities).toEqual([{ id: viewer.id, email: null }]);
  });

  it('answers a sign-in with the account’s own e-mail, the caller being anonymous', async () => {
    const result = await api.graphql<{ login: { user: { email: string } } }>(
      `mutation ($email: String!, $password: String!) {
        login(email: $email, password: $password) { user { email sharesProjectWithViewer } }
      }`,
      { email: stranger.email, password: stranger.password },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.login.user).toEqual({
      email: stranger.email,
      sharesProjectWithViewer: false,
    });
  });
});
