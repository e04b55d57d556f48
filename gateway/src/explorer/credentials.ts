/** What the explorer sends as the caller's credential; pure, so it is unit tested without a DOM. */
export type Credential =
  { kind: 'token'; token: string; email: string } | { kind: 'apiKey'; apiKey: string };

export const LOGIN_MUTATION = `mutation ExplorerLogin($email: String!, $password: String!) {
  login(email: $email, password: $password) { token user { id email } }
}`;

/** HTTP headers for a credential (gateway/src/auth/authenticate.ts reads these). */
export function credentialHeaders(credential: Credential | undefined): Record<string, string> {
  if (!credential) return {};
  return credential.kind === 'token'
    ? { authorization: `Bearer ${credential.token}` }
    : { 'x-api-key': credential.apiKey };
}

/** graphql-ws connectionParams for a credential (subscriptions/connection-auth.ts). */
export function connectionParams(credential: Credential | undefined): Record<string, string> {
  if (!credential) return {};
  return credential.kind === 'token'
    ? { authorization: `Bearer ${credential.token}` }
    : { apiKey: credential.apiKey };
}

export function describeCredential(credential: Credential | undefined): string {
  if (!credential) return 'Not signed in: sign in or paste an API key to load the schema';
  return credential.kind === 'token' ? `Signed in as ${credential.email}` : 'Using an API key';
}

/** The tabs a first visit opens with. */
export const EXAMPLE_TABS = [
  {
    query: `# Who am I? Sign in above first: the schema and docs load once you are signed in.
query Me {
  me {
    id
    email
    name
  }
}
`,
  },
  {
    query: `# The projects you are a member of.
query MyProjects {
  me {
    projects(first: 10) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Live notifications: run it, then have someone edit a document of yours.
subscription Notifications {
  notificationAdded {
    id
    kind
    message
  }
}
`,
  },
];
