import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '../api/query-client.js';
import { SessionProvider } from '../session/SessionContext.js';
import { saveSession, clearSession } from '../session/store.js';
import { SignIn } from './SignIn.js';

function renderSignIn(state: unknown) {
  return render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[{ pathname: '/sign-in', state }]}>
        <SessionProvider>
          <Routes>
            <Route path="/sign-in" element={<SignIn mode="sign-in" />} />
            <Route path="*" element={<p>elsewhere</p>} />
          </Routes>
        </SessionProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('SignIn', () => {
  it('after an expired session says so and keeps the e-mail of the session that ended', () => {
    saveSession({
      tokens: { token: 't', refreshToken: 'r' },
      user: { id: 'u1', email: 'ada@example.com', name: 'Ada', role: 'USER' },
    });
    clearSession();
    renderSignIn({ reason: 'expired', from: '/projects/p1' });
    expect(screen.getByRole('status').textContent).toMatch(/session has expired/);
    expect((screen.getByLabelText('E-mail') as HTMLInputElement).value).toBe('ada@example.com');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('asks for a name only when signing up', () => {
    renderSignIn(undefined);
    expect(screen.queryByLabelText('Name')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });
});
