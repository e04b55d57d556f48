import { describe, expect, it } from 'vitest';
import {
  clearSession,
  isExpired,
  lastEmail,
  loadSession,
  saveSession,
  type Session,
} from './store.js';

const session: Session = {
  token: 'jwt',
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'USER' },
};

describe('session store', () => {
  it('keeps the session and remembers the e-mail after it ends', () => {
    saveSession(session);
    expect(loadSession()).toEqual(session);
    clearSession();
    expect(loadSession()).toBeUndefined();
    expect(lastEmail()).toBe('ada@example.com');
  });

  it('ignores a stored value that is not a session', () => {
    localStorage.setItem('platform.session', '{"token": 1}');
    expect(loadSession()).toBeUndefined();
    localStorage.setItem('platform.session', 'not json');
    expect(loadSession()).toBeUndefined();
  });

  it('counts a token as expired a little before its expiry', () => {
    const now = Date.parse(session.expiresAt);
    expect(isExpired(session, now - 60_000)).toBe(false);
    expect(isExpired(session, now - 1_000)).toBe(true);
    expect(isExpired({ ...session, expiresAt: 'garbage' })).toBe(true);
  });
});
