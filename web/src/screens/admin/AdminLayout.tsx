import { NavLink, Outlet } from 'react-router';
import { useMe } from './use-me.js';

/** The admin area: organizations and API keys for everyone, the platform tab for its admins. */
export function AdminLayout() {
  const me = useMe();
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Admin</h1>
      <nav aria-label="Admin" className="tabs">
        <NavLink to="/admin" end>
          Organizations
        </NavLink>
        <NavLink to="/admin/api-keys">API keys</NavLink>
        {me.data?.role === 'ADMIN' && <NavLink to="/admin/platform">Platform</NavLink>}
      </nav>
      <Outlet />
    </main>
  );
}
