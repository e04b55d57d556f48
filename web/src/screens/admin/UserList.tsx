import { useInfiniteQuery } from '@tanstack/react-query';
import { usePlatformClient } from '../../session/SessionContext.js';
import { ErrorNotice, Loading, ScrollRegion } from '../../ui/states.js';

/** Every user (administrators only), with their platform role. */
export function UserList() {
  const client = usePlatformClient();
  const users = useInfiniteQuery({
    queryKey: ['users'],
    queryFn: ({ pageParam }) => client.users.list({ first: 50, after: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined),
  });
  const nodes = users.data?.pages.flatMap((page) => page.edges.map((edge) => edge.node)) ?? [];
  return (
    <section className="card" aria-labelledby="users-heading">
      <h2 id="users-heading">Users</h2>
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
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.name}</th>
                  <td>{user.email}</td>
                  <td>{user.role.toLowerCase()}</td>
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
