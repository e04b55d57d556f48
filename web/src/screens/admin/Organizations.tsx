import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { operations } from '@acme/sdk';
import { usePlatformClient } from '../../session/SessionContext.js';
import { Empty, ErrorNotice, Loading, QueryState, ScrollRegion } from '../../ui/states.js';
import { useMe } from './use-me.js';

type OrganizationRole = operations.OrganizationRole;
const ROLES: OrganizationRole[] = ['OWNER', 'ADMIN', 'MEMBER'];

/** Organizations the caller belongs to: create one, see and manage its members and roles. */
export function Organizations() {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const me = useMe();
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: () => client.users.createOrganization(name.trim()),
    onSuccess: async (organization) => {
      setName('');
      setSelected(organization.id);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <div className="grid">
      <section className="card" aria-labelledby="orgs-heading">
        <h2 id="orgs-heading">Your organizations</h2>
        <QueryState query={me} label="Loading organizations…">
          {(data) =>
            !data?.memberships?.length ? (
              <Empty>You belong to no organization yet.</Empty>
            ) : (
              <ul className="plain-list">
                {data.memberships.map((membership) => (
                  <li key={membership.organization.id}>
                    <button
                      type="button"
                      className="link-button"
                      aria-pressed={selected === membership.organization.id}
                      onClick={() => setSelected(membership.organization.id)}
                    >
                      {membership.organization.name}
                    </button>{' '}
                    <span className="tag">{membership.role.toLowerCase()}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </QueryState>
        <form onSubmit={onSubmit} className="inline-form">
          <label>
            New organization
            <input
              name="organizationName"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <button type="submit" disabled={create.isPending}>
            Create organization
          </button>
        </form>
        {create.error && <ErrorNotice error={create.error} />}
      </section>
      {selected && <OrganizationMembers organizationId={selected} />}
    </div>
  );
}

function OrganizationMembers({ organizationId }: { organizationId: string }) {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<OrganizationRole>('MEMBER');
  const members = useQuery({
    queryKey: ['organization-members', organizationId],
    queryFn: () => client.users.organizationMembers({ id: organizationId, first: 100 }),
  });
  const setMember = useMutation({
    mutationFn: (variables: { userId: string; role: OrganizationRole }) =>
      client.users.addOrganizationMember({ organizationId, ...variables }),
    onSuccess: async () => {
      setUserId('');
      await queryClient.invalidateQueries({ queryKey: ['organization-members', organizationId] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setMember.mutate({ userId: userId.trim(), role });
  };
  return (
    <section className="card" aria-labelledby="org-members-heading">
      <h2 id="org-members-heading">Members and roles</h2>
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.error ? (
        <ErrorNotice error={members.error} />
      ) : (
        <ScrollRegion label="Organization members">
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {members.data.edges.map(({ node }) => (
                <tr key={node.user.id}>
                  <th scope="row">
                    {node.user.name} <span className="muted">{node.user.email}</span>
                  </th>
                  <td>
                    <select
                      aria-label={`Role of ${node.user.name}`}
                      value={node.role}
                      disabled={setMember.isPending}
                      onChange={(e) =>
                        setMember.mutate({
                          userId: node.user.id,
                          role: e.target.value as OrganizationRole,
                        })
                      }
                    >
                      {ROLES.map((one) => (
                        <option key={one} value={one}>
                          {one.toLowerCase()}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <form onSubmit={onSubmit} className="inline-form">
        <label>
          User id
          <input
            name="orgMemberUserId"
            required
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as OrganizationRole)}>
            {ROLES.map((one) => (
              <option key={one} value={one}>
                {one.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={setMember.isPending}>
          Add member
        </button>
      </form>
      {setMember.error && <ErrorNotice error={setMember.error} />}
    </section>
  );
}
