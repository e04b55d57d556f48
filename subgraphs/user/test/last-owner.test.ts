import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Principal } from '@platform/identity';
import { errorCodes } from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const ADD_MEMBER = `mutation ($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {
  addOrganizationMember(organizationId: $organizationId, userId: $userId, role: $role) { role }
}`;

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph();
});

afterAll(async () => {
  await api?.stop();
});

async function createOrganization(owner: Principal): Promise<string> {
  const result = await api.graphql<{ createOrganization: { id: string } }>(
    'mutation { createOrganization(name: "Owned") { id } }',
    {},
    owner,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createOrganization.id;
}

const setRole = (caller: Principal, organizationId: string, userId: string, role: string) =>
  api.graphql(ADD_MEMBER, { organizationId, userId, role }, caller);

async function owners(organizationId: string): Promise<string[]> {
  const { rows } = await api.subgraph.pool.query<{ user_id: string }>(
    `SELECT user_id FROM organization_members WHERE organization_id = $1 AND role = 'OWNER'`,
    [organizationId],
  );
  return rows.map((row) => row.user_id);
}

describe('an organization keeps an OWNER', () => {
  it('refuses the only OWNER demoting themself with LAST_OWNER, and keeps them OWNER', async () => {
    const owner = await api.signUp();
    const organizationId = await createOrganization(owner.principal);

    for (const role of ['ADMIN', 'MEMBER']) {
      const result = await setRole(owner.principal, organizationId, owner.id, role);
      expect(errorCodes(result)).toEqual(['LAST_OWNER']);
      expect(result.errors![0]!.extensions).toMatchObject({ argument: 'role', organizationId });
    }
    expect(await owners(organizationId)).toEqual([owner.id]);
  });

  it('refuses a platform ADMIN demoting the only OWNER too', async () => {
    const owner = await api.signUp();
    const admin = await api.makeAdmin((await api.signUp()).id);
    const organizationId = await createOrganization(owner.principal);

    const result = await setRole(admin, organizationId, owner.id, 'MEMBER');

    expect(errorCodes(result)).toEqual(['LAST_OWNER']);
    expect(await owners(organizationId)).toEqual([owner.id]);
  });

  it('lets an OWNER step down once another member is OWNER', async () => {
    const owner = await api.signUp();
    const successor = await api.signUp();
    const organizationId = await createOrganization(owner.principal);
    await setRole(owner.principal, organizationId, successor.id, 'OWNER');

    const result = await setRole(owner.principal, organizationId, owner.id, 'MEMBER');

    expect(result.errors).toBeUndefined();
    expect(await owners(organizationId)).toEqual([successor.id]);
  });

  it('lets exactly one of two OWNERs who step down at the same moment succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await api.signUp();
      const second = await api.signUp();
      const organizationId = await createOrganization(first.principal);
      await setRole(first.principal, organizationId, second.id, 'OWNER');

      const results = await Promise.all([
        setRole(first.principal, organizationId, first.id, 'MEMBER'),
        setRole(second.principal, organizationId, second.id, 'MEMBER'),
      ]);

      expect(results.map((result) => errorCodes(result)).sort()).toEqual([[], ['LAST_OWNER']]);
      expect(await owners(organizationId)).toHaveLength(1);
    }
  });

  it('lets exactly one of two OWNERs who demote each other at the same moment succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await api.signUp();
      const second = await api.signUp();
      const organizationId = await createOrganization(first.principal);
      await setRole(first.principal, organizationId, second.id, 'OWNER');

      const results = await Promise.all([
        setRole(first.principal, organizationId, second.id, 'ADMIN'),
        setRole(second.principal, organizationId, first.id, 'ADMIN'),
      ]);

      // The later one is refused: LAST_OWNER, or FORBIDDEN when it was authorized after the
      // earlier one had already made its caller an ADMIN.
      const codes = results.map((result) => errorCodes(result).join()).sort();
      expect(codes[0]).toBe('');
      expect(['LAST_OWNER', 'FORBIDDEN']).toContain(codes[1]);
      expect(await owners(organizationId)).toHaveLength(1);
    }
  });
});
