import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useNavigate, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { UnauthenticatedError, type Client } from '@acme/sdk';
import { createPlatformClient } from '../api/client.js';
import { clearSession, loadSession, saveSession, type Session } from './store.js';

export type SignOutReason = 'signed-out' | 'expired';

interface SessionValue {
  session: Session | undefined;
  client: Client;
  signIn(session: Session): void;
  /** Ends the session here; `expired` sends the user to sign in and back to where they were. */
  signOut(reason?: SignOutReason): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

/** Where sign-in returns to, and why it was shown. */
export interface SignInState {
  from?: string;
  reason?: SignOutReason;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const current = useRef(session);
  current.current = session;
  const client = useMemo(() => createPlatformClient(() => current.current), []);
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  locationRef.current = location;
  const queryClient = useQueryClient();

  const signIn = useCallback((next: Session) => {
    saveSession(next);
    current.current = next;
    setSession(next);
  }, []);

  const signOut = useCallback(
    (reason: SignOutReason = 'signed-out') => {
      if (!current.current) return;
      clearSession();
      current.current = undefined;
      setSession(undefined);
      queryClient.clear();
      const { pathname, search } = locationRef.current;
      const state: SignInState = {
        reason,
        from: reason === 'expired' ? `${pathname}${search}` : undefined,
      };
      navigate('/sign-in', { replace: true, state });
    },
    [navigate, queryClient],
  );

  // Any query or mutation refused for an expired or revoked token ends the session and sends the
  // user to sign in, then back here; forms keep their input in drafts (lib/drafts.ts).
  useEffect(() => {
    const expired = (error: unknown) => {
      if (error instanceof UnauthenticatedError) signOut('expired');
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') expired(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') expired(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient, signOut]);

  const value = useMemo(
    () => ({ session, client, signIn, signOut }),
    [session, client, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The SDK client of the signed-in user. */
export function usePlatformClient(): Client {
  return useSession().client;
}
