import { useEffect, useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { operations } from '@acme/sdk';
import { usePlatformClient } from '../../session/SessionContext.js';
import { ErrorNotice, Loading, ScrollRegion } from '../../ui/states.js';

type Role = operations.Role;

/** Every user (administrators only), by name or e-mail and role, with their platform role. */
export function UserList() {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);
  const users = useInfiniteQuery({
    queryKey: ['users', debounced, role],
    queryFn: ({ pageParam }) =>
      client.users.list({
        first: 50,
        after: pageParam,
        search: debounced || undefined,
        role: role || undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined),
  });
  const setUserRole = useMutation({
    mutationFn: (variables: { userId: string; role: Role }) => client.users.setUserRole(variables),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
  const nodes = users.data?.pages.flatMap((page) => page.edges.map((edge) => edge.node)) ?? [];
  return (
    <section className="card" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
      <div className="filters" role="search">
        <label>
          Search users
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Platform role
          <select value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
            <option value="">any</option>
            <option value="USER">user</option>
            <option value="ADMIN">admin</option>
          </select>
        </label>
      </div>
      {setUserRole.error && <ErrorNotice error={setUserRole.error} />}
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.error ? (
        <ErrorNotice error={users.error} />
      ) : (
        <ScrollRegion label="Users">
          <table data-testid="user-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Platform role</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.name}</th>
                  <td>{user.email}</td>
                  <td>
                    <select
                      aria-label={`Platform role of ${user.name}`}
                      value={user.role}
                      disabled={setUserRole.isPending}
                      onChange={(e) =>
                        setUserRole.mutate({ userId: user.id, role: e.target.value as Role })
                      }
                    >
                      <option value="USER">user</option>
                      <option value="ADMIN">admin</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {users.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void users.fetchNextPage()}>
          Load more
        </button>
      )}
    </section>
  );
}
