import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';
import { Empty, ErrorNotice, Loading } from '../ui/states.js';

/** Members shown at once; a project may have thousands (the rest: "and more"). */
const MEMBERS_SHOWN = 100;

/** A project's members: the list (the first MEMBERS_SHOWN), and adding one by user id. */
export function Members({ projectId, ownerId }: { projectId: string; ownerId: string }) {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const [userId, setUserId] = useState('');
  const members = useQuery({
    queryKey: ['project-members', projectId],
    queryFn: () => client.data.projectMembers({ id: projectId, first: MEMBERS_SHOWN }),
  });
  const add = useMutation({
    mutationFn: () => client.data.addProjectMember({ projectId, userId: userId.trim() }),
    onSuccess: async () => {
      setUserId('');
      await queryClient.invalidateQueries({ queryKey: ['project-members', projectId] });
    },
  });
  const remove = useMutation({
    mutationFn: (memberId: string) =>
      client.data.removeProjectMember({ projectId, userId: memberId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['project-members', projectId] }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.error ? (
        <ErrorNotice error={members.error} />
      ) : !members.data || members.data.edges.length === 0 ? (
        <Empty>No members.</Empty>
      ) : (
        <ul className="plain-list" data-testid="members">
          {members.data.edges.map(({ node: { user: member } }) => (
            <li key={member.id}>
              {member.name} <span className="muted">{member.email}</span>
              {member.id === ownerId ? (
                <span className="tag">owner</span>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Remove ${member.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(member.id)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
          {members.data.pageInfo.hasNextPage && <li className="muted">and more</li>}
        </ul>
      )}
      <form onSubmit={onSubmit} className="inline-form">
        <label>
          User id to add
          <input
            name="memberUserId"
            required
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
          />
        </label>
        <button type="submit" disabled={add.isPending}>
          Add member
        </button>
      </form>
      {add.error && <ErrorNotice error={add.error} />}
      {remove.error && <ErrorNotice error={remove.error} />}
    </section>
  );
}
