import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '@platform/identity';
import { errorCodes, userPrincipal } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const CREATE = `mutation ($name: String!) { createOrganization(name: $name) { id name } }`;

const ADD_MEMBER = `mutation ($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {
  addOrganizationMember(organizationId: $organizationId, userId: $userId, role: $role) {
    role user { id } organization { id }
  }
}`;

const ORGANIZATION = `query ($id: ID!, $first: Int, $after: String) {
  organization(id: $id) {
    id name
    members(first: $first, after: $after) {
      edges { node { role user { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const MEMBERSHIPS = `query ($id: ID!) {
  user(id: $id) { memberships { role organization { id name } } }
}`;

interface OrganizationPage {
  organization: {
    id: string;
    members: {
      edges: Array<{ node: { role: string; user: { id: string } } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
}

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph();
});

afterAll(async () => {
  await api?.stop();
});

async function createOrganization(owner: Principal, name = 'Acme'): Promise<string> {
  const result = await api.graphql<{ createOrganization: { id: string } }>(CREATE, { name }, owner);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createOrganization.id;
}

function addMember(caller: Principal, organizationId: string, userId: string, role: string) {
  return api.graphql(ADD_MEMBER, { organizationId, userId, role }, caller);
}

describe('organizations', () => {
  it('makes the creator its OWNER', async () => {
    const owner = await api.signUp();
    const organizationId = await createOrganization(owner.principal, 'Initech');

    const result = await api.graphql(MEMBERSHIPS, { id: owner.id }, owner.principal);

    expect(result.data).toEqual({
      user: {
        memberships: [{ role: 'OWNER', organization: { id: organizationId, name: 'Initech' } }],
      },
    });
  });

  it('answers NOT_FOUND, not a 500, when the signed-in user no longer exists', async () => {
    const result = await api.graphql(CREATE, { name: 'Ghost' }, userPrincipal(randomUUID()));
    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  });

  it('lets an OWNER add a member and change their role', async () => {
    const owner = await api.signUp();
    const member = await api.signUp();
    const organizationId = await createOrganization(owner.principal);

    const added = await addMember(owner.principal, organizationId, member.id, 'MEMBER');
    const promoted = await addMember(owner.principal, organizationId, member.id, 'ADMIN');

    expect(added.data).toEqual({
      addOrganizationMember: {
        role: 'MEMBER',
        user: { id: member.id },
        organization: { id: organizationId },
      },
    });
    expect(promoted.errors).toBeUndefined();
    const seen = await api.graphql<OrganizationPage>(
      ORGANIZATION,
      { id: organizationId },
      member.principal,
    );
    expect(seen.data!.organization!.members.edges.map((edge) => edge.node)).toEqual([
      { role: 'OWNER', user: { id: owner.id } },
      { role: 'ADMIN', user: { id: member.id } },
    ]);
  });

  it('refuses member changes to a MEMBER (FORBIDDEN) and to an outsider (NOT_FOUND)', async () => {
    const owner = await api.signUp();
    const member = await api.signUp();
    const outsider = await api.signUp();
    const organizationId = await createOrganization(owner.principal);
    await addMember(owner.principal, organizationId, member.id, 'MEMBER');

    const byMember = await addMember(member.principal, organizationId, outsider.id, 'MEMBER');
    const byOutsider = await addMember(outsider.principal, organizationId, outsider.id, 'OWNER');

    expect(errorCodes(byMember)).toEqual(['FORBIDDEN']);
    expect(errorCodes(byOutsider)).toEqual(['NOT_FOUND']);
  });

  it('lets an organization ADMIN manage members but not grant or change OWNER', async () => {
    const owner = await api.signUp();
    const orgAdmin = await api.signUp();
    const newcomer = await api.signUp();
    const organizationId = await createOrganization(owner.principal);
    await addMember(owner.principal, organizationId, orgAdmin.id, 'ADMIN');

    const added = await addMember(orgAdmin.principal, organizationId, newcomer.id, 'MEMBER');
    const selfPromotion = await addMember(orgAdmin.principal, organizationId, orgAdmin.id, 'OWNER');
    const demoteOwner = await addMember(orgAdmin.principal, organizationId, owner.id, 'MEMBER');

    expect(added.errors).toBeUndefined();
    expect(errorCodes(selfPromotion)).toEqual(['FORBIDDEN']);
    expect(errorCodes(demoteOwner)).toEqual(['FORBIDDEN']);
  });

  it('lets a platform ADMIN add members to any organization', async () => {
    const owner = await api.signUp();
    const member = await api.signUp();
    const admin = await api.makeAdmin((await api.signUp()).id);
    const organizationId = await createOrganization(owner.principal);

    const result = await addMember(admin, organizationId, member.id, 'MEMBER');

    expect(result.errors).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown user and BAD_USER_INPUT for an id that is not a uuid', async () => {
    const owner = await api.signUp();
    const organizationId = await createOrganization(owner.principal);

    const unknown = await addMember(
      owner.principal,
      organizationId,
      '00000000-0000-4000-8000-000000000000',
      'MEMBER',
    );
    const malformed = await addMember(owner.principal, organizationId, 'nope', 'MEMBER');

    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(errorCodes(malformed)).toEqual(['BAD_USER_INPUT']);
    expect(malformed.errors![0]!.extensions!.argument).toBe('userId');
  });

  it('shows an organization to its members and platform admins, and null to anyone else', async () => {
    const owner = await api.signUp();
    const outsider = await api.signUp();
    const admin = await api.makeAdmin((await api.signUp()).id);
    const organizationId = await createOrganization(owner.principal);
    const lookup = (caller: Principal) =>
      api.graphql<OrganizationPage>(ORGANIZATION, { id: organizationId }, caller);

    expect((await lookup(owner.principal)).data!.organization!.id).toBe(organizationId);
    expect((await lookup(admin)).data!.organization!.id).toBe(organizationId);
    expect(await lookup(outsider.principal)).toEqual({ status: 200, data: { organization: null } });
  });

  it('pages through members in the order they joined', async () => {
    const owner = await api.signUp();
    const organizationId = await createOrganization(owner.principal);
    const members = [await api.signUp(), await api.signUp(), await api.signUp()];
    for (const member of members) {
      await addMember(owner.principal, organizationId, member.id, 'MEMBER');
    }

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { data?: OrganizationPage | null } = await api.graphql<OrganizationPage>(
        ORGANIZATION,
        { id: organizationId, first: 2, after },
        owner.principal,
      );
      const { edges, pageInfo } = page.data!.organization!.members;
      seen.push(...edges.map((edge) => edge.node.user.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }

    expect(seen).toEqual([owner.id, ...members.map((member) => member.id)]);
  });

  it("shows another user's memberships only in organizations the caller shares", async () => {
    const alice = await api.signUp();
    const bob = await api.signUp();
    const shared = await createOrganization(alice.principal, 'Shared');
    await createOrganization(alice.principal, 'Private');
    await addMember(alice.principal, shared, bob.id, 'MEMBER');

    const result = await api.graphql(MEMBERSHIPS, { id: alice.id }, bob.principal);

    expect(result.data).toEqual({
      user: { memberships: [{ role: 'OWNER', organization: { id: shared, name: 'Shared' } }] },
    });
  });
});
