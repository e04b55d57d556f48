import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';
import { ErrorNotice } from '../ui/states.js';

/** Changes the caller's password; the platform ends every other session of theirs. */
export function ChangePassword() {
  const client = usePlatformClient();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const change = useMutation({
    mutationFn: () => client.users.changePassword({ currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form onSubmit={onSubmit} className="stack">
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label>
          New password
          <input
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
          />
        </label>
        {change.error && <ErrorNotice error={change.error} />}
        {change.isSuccess && (
          <p role="status" className="notice">
            Password changed. Your other sessions have been signed out.
          </p>
        )}
        <button type="submit" disabled={change.isPending}>
          Change password
        </button>
      </form>
    </section>
  );
}
