import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { SIGNED_OUT_REASON_KEY, useSession, type SignInState } from '../session/SessionContext.js';
import { lastEmail, type Session } from '../session/store.js';
import { ErrorNotice } from '../ui/states.js';

type Mode = 'sign-in' | 'sign-up';

/** Sign in and sign up: one form, the name field only for sign-up. */
export function SignIn({ mode }: { mode: Mode }) {
  const { session, client, signIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const routed = (location.state ?? {}) as SignInState;
  const state: SignInState = {
    ...routed,
    reason:
      routed.reason ??
      (sessionStorage.getItem(SIGNED_OUT_REASON_KEY) as SignInState['reason']) ??
      undefined,
  };
  const [email, setEmail] = useState(() => lastEmail());
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  const submit = useMutation({
    // The client adopts the session login or signUp answers; the app keeps its user.
    mutationFn: async (): Promise<Session['user']> => {
      const payload =
        mode === 'sign-up'
          ? await client.users.signUp({ email, name, password })
          : await client.users.login({ email, password });
      // `email` needs the read scope and may be null in general; a session always has its own.
      return { ...payload.user, email: payload.user.email ?? email };
    },
    onSuccess: (next) => {
      signIn(next);
      navigate(state.from ?? '/', { replace: true });
    },
  });

  if (session && !submit.isPending) return <Navigate to={state.from ?? '/'} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  const title = mode === 'sign-up' ? 'Create your account' : 'Sign in';
  return (
    <main id="main" tabIndex={-1} className="auth">
      <h1>{title}</h1>
      {state.reason === 'expired' && (
        <p role="status" className="notice">
          Your session has expired. Sign in again to continue where you were; unsaved edits are
          kept.
        </p>
      )}
      {state.reason === 'signed-out' && (
        <p role="status" className="notice">
          You are signed out.
        </p>
      )}
      <form onSubmit={onSubmit} className="stack">
        <label>
          E-mail
          <input
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        {mode === 'sign-up' && (
          <label>
            Name
            <input
              name="name"
              autoComplete="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
        )}
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            required
            minLength={mode === 'sign-up' ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {submit.error && <ErrorNotice error={submit.error} />}
        <button type="submit" disabled={submit.isPending}>
          {submit.isPending ? 'Please wait…' : mode === 'sign-up' ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <p>
        {mode === 'sign-up' ? (
          <>
            Have an account? <Link to="/sign-in">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link to="/sign-up">Create an account</Link>
          </>
        )}
      </p>
    </main>
  );
}
