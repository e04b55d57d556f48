import { useMe } from './admin/use-me.js';
import { QueryState } from '../ui/states.js';
import { ChangePassword } from './ChangePassword.js';

/** Who the caller is: the id others need to add them to a project or organization. */
export function Account() {
  const me = useMe();
  return (
    <main id="main" tabIndex={-1} className="page stack">
      <h1>Your account</h1>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <QueryState query={me} label="Loading your profile…">
          {(user) =>
            user && (
              <dl className="facts">
                <dt>Name</dt>
                <dd>{user.name}</dd>
                <dt>E-mail</dt>
                <dd>{user.email}</dd>
                <dt>User id</dt>
                <dd>
                  <code data-testid="my-user-id">{user.id}</code>
                </dd>
                <dt>Platform role</dt>
                <dd>{user.role.toLowerCase()}</dd>
              </dl>
            )
          }
        </QueryState>
      </section>
      <ChangePassword />
    </main>
  );
}
