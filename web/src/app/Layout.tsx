import { useEffect, useState } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../session/SessionContext.js';
import { useLiveNotifications } from './live-notifications.js';

/** Every signed-in screen: skip link, navigation with the live bell, and the toast region. */
export function Layout() {
  const { session, client, signOut } = useSession();
  const location = useLocation();
  const live = useLiveNotifications();
  const unread = useQuery({
    queryKey: ['unread-count'],
    queryFn: () => client.notifications.unreadCount(),
    enabled: !!session,
  });
  const [toast, setToast] = useState<string | undefined>();
  useEffect(() => {
    if (!live.latest) return;
    setToast(live.latest.message);
    const timer = setTimeout(() => setToast(undefined), 6_000);
    return () => clearTimeout(timer);
  }, [live.latest]);

  if (!session) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  const count = unread.data ?? 0;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Platform
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/admin">Admin</NavLink>
          <a href="/graphql">Explorer</a>
          <NavLink
            to="/notifications"
            className="bell"
            aria-label={`Notifications, ${count} unread`}
            data-testid="bell"
          >
            <svg
              aria-hidden="true"
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
              <path d="M13.73 21a2 2 0 0 1-3.46 0" />
            </svg>
            {count > 0 && (
              <span className="badge" data-testid="unread-count">
                {count}
              </span>
            )}
          </NavLink>
        </nav>
        <div className="account">
          <NavLink to="/account" className="who" title={session.user.email}>
            {session.user.name}
          </NavLink>
          <button type="button" className="link-button" onClick={() => void signOut('signed-out')}>
            Sign out
          </button>
        </div>
      </header>
      <div className="live-state" aria-hidden="true" data-state={live.state} />
      <div role="status" aria-live="polite" className="toast-region">
        {toast && <div className="toast">{toast}</div>}
      </div>
      <Outlet />
    </>
  );
}
