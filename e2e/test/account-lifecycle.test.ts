import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, startPrivateKafka, uniqueName, type PrivateService } from '@platform/testing';
import { createDocument, graphql, startTestPlatform, type TestPlatform } from './platform.js';

/**
 * Issue 13's account and project operations through the gateway, on the real platform with
 * events: sessions that really end (refresh, sign out, password change), the first admin from
 * ADMIN_EMAILS promoting another, and projects updated, left and deleted.
 */
let kafka: PrivateService & { brokers: string[] };
let platform: TestPlatform;
let url: string;
const adminEmail = `${uniqueName('root')}@example.com`;
const password = 'correct horse battery';

const SESSION = 'token refreshToken refreshTokenExpiresAt user { id role }';

interface Session {
  token: string;
  refreshToken: string;
  user: { id: string; role: string };
}

const codes = (result: { errors?: Array<{ extensions?: { code?: unknown } }> }) =>
  (result.errors ?? []).map((error) => error.extensions?.code);

async function signUp(name: string, email = `${uniqueName(name)}@example.com`) {
  const result = await graphql<{ signUp: Session }>(
    url,
    `mutation ($email: String!, $name: String!, $password: String!) {
      signUp(email: $email, name: $name, password: $password) { ${SESSION} }
    }`,
    { email, name, password },
  );
  if (!result.data) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return { email, ...result.data.signUp };
}

const login = (email: string, secret = password) =>
  graphql<{ login: Session }>(
    url,
    `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION} } }`,
    { email, password: secret },
  );

/** Sent with no credential, as the SDK sends it: an expired access token must not matter. */
const refresh = (refreshToken: string) =>
  graphql<{ refreshSession: Session }>(
    url,
    `mutation ($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION} } }`,
    { refreshToken },
  );

const signOut = (refreshToken: string) =>
  graphql<{ signOut: boolean }>(
    url,
    'mutation ($refreshToken: String!) { signOut(refreshToken: $refreshToken) }',
    { refreshToken },
  );

const me = (token: string) =>
  graphql<{ me: { id: string; role: string } | null }>(url, '{ me { id role } }', {}, { token });

beforeAll(async () => {
  kafka = await startPrivateKafka();
  platform = await startTestPlatform({
    events: { brokers: kafka.brokers },
    userEnv: { ADMIN_EMAILS: adminEmail },
  });
  await platform.events!.startNotificationConsumer();
  await platform.events!.startAnalyticsConsumer();
  url = platform.gatewayUrl;
}, 180_000);

afterAll(async () => {
  await platform?.stop();
  await kafka?.dispose();
}, 60_000);

describe('sessions through the gateway', () => {
  it('signs up, refreshes, signs out, and then the refresh is refused', async () => {
    const account = await signUp('ana');
    const renewed = await refresh(account.refreshToken);
    expect(codes(renewed)).toEqual([]);
    const next = renewed.data!.refreshSession;
    expect(next.refreshToken).not.toBe(account.refreshToken);
    expect((await me(next.token)).data?.me?.id).toBe(account.user.id);

    expect((await signOut(next.refreshToken)).data).toEqual({ signOut: true });
    const refused = await refresh(next.refreshToken);
    expect(codes(refused)).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(refused.status).toBeGreaterThanOrEqual(200);
    expect(refused.status).toBeLessThan(500);
  });

  it('ends the whole session when a used refresh token is presented again', async () => {
    const account = await signUp('reuse');
    const renewed = (await refresh(account.refreshToken)).data!.refreshSession;
    expect(codes(await refresh(account.refreshToken))).toEqual(['REFRESH_TOKEN_REUSED']);
    expect(codes(await refresh(renewed.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
  });

  it('changes the password: the other sessions and the old password are refused', async () => {
    const account = await signUp('pat');
    const laptop = (await login(account.email)).data!.login;
    const changed = await graphql<{ changePassword: Session }>(
      url,
      `mutation { changePassword(currentPassword: "${password}", newPassword: "a whole new phrase") { ${SESSION} } }`,
      {},
      { token: account.token },
    );
    expect(codes(changed)).toEqual([]);
    expect(codes(await refresh(laptop.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(codes(await refresh(account.refreshToken))).toEqual(['INVALID_REFRESH_TOKEN']);
    expect(codes(await refresh(changed.data!.changePassword.refreshToken))).toEqual([]);
    expect(codes(await login(account.email))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await login(account.email, 'a whole new phrase'))).toEqual([]);
  });
});

describe('platform administrators', () => {
  it('bootstraps the first admin from ADMIN_EMAILS, who promotes another; the last cannot be demoted', async () => {
    const root = await signUp('root', adminEmail);
    expect(root.user.role).toBe('ADMIN');
    const user = await signUp('promoted');
    const setRole = (userId: string, role: string, token: string) =>
      graphql<{ setUserRole: { id: string; role: string } }>(
        url,
        'mutation ($userId: ID!, $role: Role!) { setUserRole(userId: $userId, role: $role) { id role } }',
        { userId, role },
        { token },
      );
    expect(codes(await setRole(root.user.id, 'USER', user.token))).toEqual(['FORBIDDEN']);
    expect(codes(await setRole(root.user.id, 'USER', root.token))).toEqual(['LAST_ADMIN']);

    expect((await setRole(user.user.id, 'ADMIN', root.token)).data?.setUserRole.role).toBe('ADMIN');
    // The new role reaches the promoted user's access token at their next refresh.
    const promoted = (await refresh(user.refreshToken)).data!.refreshSession;
    expect(promoted.user.role).toBe('ADMIN');
    const list = await graphql<{ users: { edges: Array<{ node: { id: string } }> } }>(
      url,
      'query ($search: String) { users(first: 10, search: $search, role: ADMIN) { edges { node { id } } } }',
      { search: adminEmail },
      { token: promoted.token },
    );
    expect(list.data?.users.edges.map((edge) => edge.node.id)).toEqual([root.user.id]);
    // Two admins now: one may step down.
    expect((await setRole(root.user.id, 'USER', promoted.token)).data?.setUserRole.role).toBe(
      'USER',
    );
  });
});

describe('projects', () => {
  it('updates a project, removes a member and deletes it with its documents', async () => {
    const owner = await signUp('owner');
    const member = await signUp('member');
    const as = (token: string) => ({ token });
    const created = await graphql<{ createProject: { id: string } }>(
      url,
      'mutation { createProject(input: { name: "Orbit", description: "Q3" }) { id } }',
      {},
      as(owner.token),
    );
    const projectId = created.data!.createProject.id;
    const project = (token: string) =>
      graphql<{ project: { name: string; description: string | null } | null }>(
        url,
        'query ($id: ID!) { project(id: $id) { name description } }',
        { id: projectId },
        as(token),
      );
    await graphql(
      url,
      'mutation ($p: ID!, $u: ID!) { addProjectMember(projectId: $p, userId: $u) { id } }',
      { p: projectId, u: member.user.id },
      as(owner.token),
    );
    expect((await project(member.token)).data?.project?.name).toBe('Orbit');

    const forbidden = await graphql(
      url,
      'mutation ($id: ID!) { updateProject(id: $id, input: { name: "Mine" }) { id } }',
      { id: projectId },
      as(member.token),
    );
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    const updated = await graphql(
      url,
      'mutation ($id: ID!) { updateProject(id: $id, input: { name: "Orbit 2", description: null }) { name description } }',
      { id: projectId },
      as(owner.token),
    );
    expect(updated.data).toEqual({ updateProject: { name: 'Orbit 2', description: null } });
    // The cached answer goes with the project.updated event.
    await eventually(async () =>
      (await project(member.token)).data?.project?.name === 'Orbit 2' ? true : undefined,
    );

    const documentId = await createDocument(url, as(member.token), projectId);

    const lastOwner = await graphql(
      url,
      'mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { id } }',
      { p: projectId, u: owner.user.id },
      as(owner.token),
    );
    expect(codes(lastOwner)).toEqual(['LAST_OWNER']);
    const removed = await graphql<{
      removeProjectMember: { members: { edges: Array<{ node: { user: { id: string } } }> } };
    }>(
      url,
      'mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { members { edges { node { user { id } } } } } }',
      { p: projectId, u: member.user.id },
      as(owner.token),
    );
    expect(removed.data?.removeProjectMember.members.edges).toEqual([
      { node: { user: { id: owner.user.id } } },
    ]);
    await eventually(async () =>
      (await project(member.token)).data?.project === null ? true : undefined,
    );

    const deleted = await graphql(
      url,
      'mutation ($id: ID!) { deleteProject(id: $id) }',
      { id: projectId },
      as(owner.token),
    );
    expect(deleted.data).toEqual({ deleteProject: projectId });
    await eventually(async () =>
      (await project(owner.token)).data?.project === null ? true : undefined,
    );
    const doc = await graphql(
      url,
      'query ($id: ID!) { document(id: $id) { id } }',
      { id: documentId },
      as(owner.token),
    );
    expect(doc.data).toEqual({ document: null });

    // The analytics consumer drops the deleted project from the owner's top projects.
    await eventually(async () => {
      const top = await graphql<{ topProjects: Array<{ project: { id: string } }> }>(
        url,
        '{ topProjects(range: LAST_DAY, first: 50) { project { id } } }',
        {},
        as(owner.token),
      );
      if (!top.data) return undefined;
      return top.data.topProjects.every((entry) => entry.project.id !== projectId)
        ? true
        : undefined;
    });
  }, 60_000);
});
