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
import { useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { UnauthenticatedError, type Client, type Session as SdkSession } from '@acme/sdk';
import { createPlatformClient } from '../api/client.js';
import { clearSession, loadSession, saveSession, type Session } from './store.js';

export type SignOutReason = 'signed-out' | 'expired';

interface SessionValue {
  session: Session | undefined;
  client: Client;
  /** Keeps the user of the session the client has just adopted (login or sign-up). */
  signIn(user: Session['user']): void;
  /**
   * Ends the session: `signed-out` ends it on the server too (the refresh token is revoked);
   * `expired` (refused by the platform) sends the user to sign in and back to where they were.
   */
  signOut(reason?: SignOutReason): Promise<void>;
}

/** Why the last session ended, for the sign-in screen (cleared by the next sign-in). */
export const SIGNED_OUT_REASON_KEY = 'platform.signedOutReason';

const SessionContext = createContext<SessionValue | undefined>(undefined);

/** Where sign-in returns to, and why it was shown. */
export interface SignInState {
  from?: string;
  reason?: SignOutReason;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | undefined>(() => loadSession());
  const current = useRef(session);
  const navigate = useNavigate();
  const location = useLocation();
  const locationRef = useRef(location);
  locationRef.current = location;
  const queryClient = useQueryClient();
  const endedRef = useRef<(reason: SignOutReason) => void>(() => undefined);
  /** True while the user signs out: the SDK's `null` session is then no expiry. */
  const signingOut = useRef(false);

  const client = useMemo(
    () =>
      createPlatformClient(loadSession()?.tokens ?? null, (tokens: SdkSession | null) => {
        const signedIn = current.current;
        if (tokens && signedIn) {
          // A refresh or a password change: the same user, new tokens.
          const next = { ...signedIn, tokens };
          saveSession(next);
          current.current = next;
          setSession(next);
        } else if (!tokens && signedIn && !signingOut.current) {
          // The platform refused to renew the session (expired, revoked, signed out elsewhere).
          endedRef.current('expired');
        }
      }),
    [],
  );

  const end = useCallback(
    (reason: SignOutReason) => {
      if (!current.current) return;
      clearSession();
      current.current = undefined;
      setSession(undefined);
      queryClient.clear();
      // Layout may redirect first (no session), without this state: sign-in reads it from here too.
      sessionStorage.setItem(SIGNED_OUT_REASON_KEY, reason);
      const { pathname, search } = locationRef.current;
      const state: SignInState = {
        reason,
        from: reason === 'expired' ? `${pathname}${search}` : undefined,
      };
      navigate('/sign-in', { replace: true, state });
    },
    [navigate, queryClient],
  );
  endedRef.current = end;

  const signIn = useCallback(
    (user: Session['user']) => {
      if (!client.session) return;
      const next = { tokens: client.session, user };
      sessionStorage.removeItem(SIGNED_OUT_REASON_KEY);
      saveSession(next);
      current.current = next;
      setSession(next);
    },
    [client],
  );

  const signOut = useCallback(
    async (reason: SignOutReason = 'signed-out') => {
      if (reason === 'signed-out') {
        // The server revokes the refresh token; signed out here even if it cannot be reached.
        signingOut.current = true;
        try {
          await client.users.signOut().catch(() => client.setSession(null));
        } finally {
          signingOut.current = false;
        }
      } else {
        client.setSession(null);
      }
      end(reason);
    },
    [client, end],
  );

  // A request still refused after the SDK's one refresh ends the session; forms keep their input
  // in drafts (lib/drafts.ts), and sign-in returns to the page.
  useEffect(() => {
    const expired = (error: unknown) => {
      if (error instanceof UnauthenticatedError && current.current) void signOut('expired');
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
