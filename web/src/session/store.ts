import type { Session as SdkSession } from '@acme/sdk';

/** The signed-in user as the app keeps it between page loads (localStorage). */
export interface Session {
  /** The SDK's session: the short-lived access token and the refresh token that renews it. */
  tokens: SdkSession;
  user: { id: string; email: string; name: string; role: string };
}

const KEY = 'platform.session';
/** The e-mail of the last session, so sign-in can prefill it after an expiry or sign-out. */
const LAST_EMAIL_KEY = 'platform.lastEmail';

function isSession(value: unknown): value is Session {
  const v = value as Partial<Session> | null;
  return (
    typeof v?.tokens?.token === 'string' &&
    typeof v.tokens.refreshToken === 'string' &&
    typeof v.user?.id === 'string' &&
    typeof v.user.email === 'string'
  );
}

export function loadSession(storage: Storage = localStorage): Session | undefined {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
    return isSession(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
  storage.setItem(LAST_EMAIL_KEY, session.user.email);
}

export function clearSession(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}

export function lastEmail(storage: Storage = localStorage): string {
  return storage.getItem(LAST_EMAIL_KEY) ?? '';
}
