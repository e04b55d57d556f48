import { GraphQLError } from 'graphql';
import { ErrorCode } from '@platform/errors';
import type { AuthenticatedPrincipal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import { API_KEY_HEADER, type Authenticate, type CredentialFields } from '../auth/authenticate.js';
import { SocketClose } from './close-codes.js';

/** A socket either belongs to a principal allowed to read, or is closed with a code. */
export type ConnectionVerdict = { principal: AuthenticatedPrincipal } | { refuse: SocketClose };

type ConnectionParams = Readonly<Record<string, unknown>>;

/**
 * The credential in graphql-ws connectionParams, named like the HTTP headers:
 * `{ authorization: 'Bearer <jwt>' }` (or `'ApiKey <key>'`), `{ apiKey: '<key>' }` or
 * `{ 'x-api-key': '<key>' }`.
 */
export function credentialFieldsOfConnectionParams(
  params: ConnectionParams | undefined,
): CredentialFields {
  return {
    authorization: params?.authorization ?? params?.Authorization,
    apiKey: params?.apiKey ?? params?.[API_KEY_HEADER],
  };
}

/**
 * Authenticates a graphql-ws connection (its `connection_init`) with the same `authenticate` the
 * HTTP path uses. Subscriptions need a principal holding `read`: no credential or a bad one is
 * 4401, a credential without `read` is 4403. Every subscription on the socket runs as that
 * principal, and its notifications are the principal's own: the channel never comes from the client.
 */
export async function authenticateConnection(
  authenticate: Authenticate,
  params: ConnectionParams | undefined,
  scope: { requestId: string; logger: Logger },
): Promise<ConnectionVerdict> {
  const check = await checkConnectionCredential(authenticate, params, scope.requestId);
  if (!('failed' in check)) return check;
  if (isUnavailable(check.failed)) {
    scope.logger.warn(
      { err: check.failed },
      'subscription connection refused: credential cannot be checked',
    );
    return { refuse: SocketClose.TryAgainLater };
  }
  scope.logger.error(
    { err: check.failed },
    'unexpected error while authenticating a subscription connection',
  );
  return { refuse: SocketClose.InternalError };
}

/** A verdict, or the error that kept the credential from being checked (user subgraph down). */
export type CredentialCheck = ConnectionVerdict | { failed: unknown };

/** `authenticateConnection` without the logging: for connecting and for re-checking a socket. */
export async function checkConnectionCredential(
  authenticate: Authenticate,
  params: ConnectionParams | undefined,
  requestId: string,
): Promise<CredentialCheck> {
  let principal;
  try {
    principal = await authenticate({
      credentials: credentialFieldsOfConnectionParams(params),
      requestId,
    });
  } catch (error) {
    const code = error instanceof GraphQLError ? error.extensions.code : undefined;
    if (code === ErrorCode.Unauthenticated) return { refuse: SocketClose.Unauthorized };
    return { failed: error };
  }
  if (principal.kind === 'anonymous') return { refuse: SocketClose.Unauthorized };
  if (!principal.scopes.includes('read')) return { refuse: SocketClose.Forbidden };
  return { principal };
}

/** The credential cannot be checked right now (API keys: the user subgraph is unreachable). */
export function isUnavailable(error: unknown): boolean {
  return error instanceof GraphQLError && error.extensions.code === 'SERVICE_UNAVAILABLE';
}
