import { describe, expect, it } from 'vitest';
import { clearSession, lastEmail, loadSession, saveSession, type Session } from './store.js';

const session: Session = {
  tokens: { token: 'jwt', refreshToken: 'refresh', expiresAt: new Date().toISOString() },
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

  it('ignores a stored value that is not a session (or one from before refresh tokens)', () => {
    localStorage.setItem('platform.session', '{"token": "jwt", "user": {"id": "u1"}}');
    expect(loadSession()).toBeUndefined();
    localStorage.setItem('platform.session', 'not json');
    expect(loadSession()).toBeUndefined();
  });
});
