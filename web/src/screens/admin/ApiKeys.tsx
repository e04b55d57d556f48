import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { operations } from '@acme/sdk';
import { usePlatformClient } from '../../session/SessionContext.js';
import { Empty, ErrorNotice, QueryState, ScrollRegion } from '../../ui/states.js';

type Scope = operations.ApiKeyScope;

/** The caller's API keys: create with scopes (the secret shown once), revoke, last used. */
export function ApiKeys() {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['READ']);
  const [secret, setSecret] = useState<{ name: string; value: string } | undefined>();
  const [copied, setCopied] = useState(false);
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => client.users.apiKeys() });
  const create = useMutation({
    mutationFn: () => client.users.createApiKey({ name: name.trim(), scopes }),
    onSuccess: async (created) => {
      setSecret({ name: created.apiKey.name, value: created.secret });
      setCopied(false);
      setName('');
      await queryClient.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => client.users.revokeApiKey(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const toggle = (scope: Scope) =>
    setScopes((current) =>
      current.includes(scope) ? current.filter((one) => one !== scope) : [...current, scope],
    );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const copy = async () => {
    if (!secret) return;
    await navigator.clipboard.writeText(secret.value);
    setCopied(true);
  };
  return (
    <div className="stack">
      {secret && (
        <section className="card secret" aria-labelledby="secret-heading" data-testid="new-secret">
          <h2 id="secret-heading">API key “{secret.name}” created</h2>
          <p>Copy the secret now: it is shown only this once and cannot be shown again.</p>
          <div className="secret-row">
            <code data-testid="secret-value">{secret.value}</code>
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <button type="button" className="secondary" onClick={() => setSecret(undefined)}>
            I have saved it
          </button>
        </section>
      )}
      <section className="card" aria-labelledby="keys-heading">
        <h2 id="keys-heading">API keys</h2>
        <QueryState query={keys} label="Loading API keys…">
          {(list) =>
            list.length === 0 ? (
              <Empty>No API keys yet.</Empty>
            ) : (
              <ScrollRegion label="API keys">
                <table data-testid="api-keys">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Key</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((key) => (
                      <tr key={key.id}>
                        <th scope="row">{key.name}</th>
                        <td>
                          <code>{key.prefix}…</code>
                        </td>
                        <td>{key.scopes.join(', ').toLowerCase()}</td>
                        <td>{new Date(key.createdAt).toLocaleDateString()}</td>
                        <td data-testid="last-used">
                          {key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never'}
                        </td>
                        <td>
                          {key.revokedAt ? (
                            <span className="tag">revoked</span>
                          ) : (
                            <button
                              type="button"
                              className="danger"
                              aria-label={`Revoke ${key.name}`}
                              disabled={revoke.isPending}
                              onClick={() => revoke.mutate(key.id)}
                            >
                              Revoke
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )
          }
        </QueryState>
        {revoke.error && <ErrorNotice error={revoke.error} />}
      </section>
      <section className="card" aria-labelledby="new-key-heading">
        <h2 id="new-key-heading">Create an API key</h2>
        <form onSubmit={onSubmit} className="stack">
          <label>
            Name
            <input
              name="apiKeyName"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <fieldset>
            <legend>Scopes</legend>
            {(['READ', 'WRITE'] as const).map((scope) => (
              <label key={scope} className="checkbox">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope)}
                  onChange={() => toggle(scope)}
                />
                {scope === 'READ' ? 'Read' : 'Write'}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={create.isPending || scopes.length === 0}>
            Create API key
          </button>
        </form>
        {create.error && <ErrorNotice error={create.error} />}
      </section>
    </div>
  );
}
