/** The signed-in user as the app keeps it between page loads (localStorage). Pure but for storage. */
export interface Session {
  token: string;
  /** ISO-8601; the access token is refused after it. */
  expiresAt: string;
  user: { id: string; email: string; name: string; role: string };
}

const KEY = 'platform.session';
/** The e-mail of the last session that ended by expiry, so sign-in can prefill it. */
const LAST_EMAIL_KEY = 'platform.lastEmail';

function isSession(value: unknown): value is Session {
  const v = value as Partial<Session> | null;
  return (
    typeof v?.token === 'string' &&
    typeof v.expiresAt === 'string' &&
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

/** Expired a few seconds early, so a request does not leave with a token that dies on the way. */
export function isExpired(session: Session, now = Date.now(), skewMs = 5_000): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  return Number.isNaN(expiresAt) || expiresAt - skewMs <= now;
}
