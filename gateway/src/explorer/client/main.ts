/**
 * The explorer page's script, bundled by ../build.ts: GraphiQL with a sign-in bar above it. The
 * credential (an access token from `login`, or a pasted API key) lives in sessionStorage and is
 * sent on every request (`Authorization: Bearer` / `x-api-key`) and in graphql-ws
 * connectionParams; changing it makes a new fetcher, so GraphiQL introspects the schema again.
 */
import 'graphiql/graphiql.css';
import './explorer.css';
import { createElement as h, useCallback, useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { createClient, type Client } from 'graphql-ws';
import {
  credentialHeaders,
  connectionParams,
  describeCredential,
  EXAMPLE_TABS,
  LOGIN_MUTATION,
  type Credential,
} from '../credentials.js';

const STORAGE_KEY = 'platform-explorer.credential';

function storedCredential(): Credential | undefined {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as Credential) : undefined;
  } catch {
    return undefined;
  }
}

function storeCredential(credential: Credential | undefined): void {
  if (credential) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
  else sessionStorage.removeItem(STORAGE_KEY);
}

function socketUrl(endpoint: string): string {
  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

let activeSocket: Client | undefined;

function fetcherFor(endpoint: string, credential: Credential | undefined): Fetcher {
  void activeSocket?.dispose();
  activeSocket = createClient({
    url: socketUrl(endpoint),
    lazy: true,
    connectionParams: () => connectionParams(credential),
  });
  return createGraphiQLFetcher({
    url: new URL(endpoint, location.href).toString(),
    headers: credentialHeaders(credential),
    wsClient: activeSocket,
  });
}

async function logIn(endpoint: string, email: string, password: string): Promise<Credential> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: LOGIN_MUTATION, variables: { email, password } }),
  });
  const body = (await response.json()) as {
    data?: { login: { token: string; user: { id: string; email: string } } } | null;
    errors?: Array<{ message: string }>;
  };
  if (!body.data?.login) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return { kind: 'token', token: body.data.login.token, email: body.data.login.user.email };
}

function SignInBar(props: {
  credential: Credential | undefined;
  onChange: (credential: Credential | undefined) => void;
  endpoint: string;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onChange(await logIn(props.endpoint, email, password));
      setPassword('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const useKey = (event: FormEvent) => {
    event.preventDefault();
    if (!apiKey.trim()) return;
    props.onChange({ kind: 'apiKey', apiKey: apiKey.trim() });
    setApiKey('');
  };
  const input = (
    id: string,
    type: string,
    placeholder: string,
    value: string,
    set: (value: string) => void,
  ) =>
    h('input', {
      id,
      type,
      placeholder,
      value,
      'aria-label': placeholder,
      autoComplete: type === 'password' ? 'current-password' : 'off',
      onChange: (event: { target: { value: string } }) => set(event.target.value),
    });

  return h(
    'header',
    { className: 'explorer-bar' },
    h('strong', { className: 'explorer-title' }, 'Platform API'),
    h(
      'span',
      { id: 'explorer-status', className: 'explorer-status' },
      describeCredential(props.credential),
    ),
    props.credential
      ? h(
          'button',
          { id: 'explorer-sign-out', type: 'button', onClick: () => props.onChange(undefined) },
          'Sign out',
        )
      : [
          h(
            'form',
            { key: 'login', className: 'explorer-form', onSubmit: signIn },
            input('explorer-email', 'email', 'Email', email, setEmail),
            input('explorer-password', 'password', 'Password', password, setPassword),
            h('button', { id: 'explorer-sign-in', type: 'submit', disabled: busy }, 'Sign in'),
          ),
          h(
            'form',
            { key: 'key', className: 'explorer-form', onSubmit: useKey },
            input('explorer-api-key', 'password', 'or paste an API key', apiKey, setApiKey),
            h('button', { id: 'explorer-use-key', type: 'submit' }, 'Use key'),
          ),
        ],
    error ? h('span', { id: 'explorer-error', className: 'explorer-error' }, error) : null,
  );
}

function Explorer({ endpoint }: { endpoint: string }) {
  const [credential, setCredential] = useState<Credential | undefined>(storedCredential);
  const fetcher = useMemo(() => fetcherFor(endpoint, credential), [endpoint, credential]);
  const change = useCallback((next: Credential | undefined) => {
    storeCredential(next);
    setCredential(next);
  }, []);
  return h(
    'div',
    { className: 'explorer' },
    h(SignInBar, { credential, onChange: change, endpoint }),
    h(
      'main',
      { className: 'explorer-graphiql' },
      h(GraphiQL, {
        fetcher,
        defaultTabs: EXAMPLE_TABS,
        defaultEditorToolsVisibility: 'variables',
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
      }),
    ),
  );
}

const container = document.getElementById('explorer');
if (container) {
  createRoot(container).render(h(Explorer, { endpoint: container.dataset.endpoint ?? '/graphql' }));
}
