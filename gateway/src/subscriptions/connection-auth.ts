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
  let principal;
  try {
    principal = await authenticate({
      credentials: credentialFieldsOfConnectionParams(params),
      requestId: scope.requestId,
    });
  } catch (error) {
    return { refuse: closeFor(error, scope.logger) };
  }
  if (principal.kind === 'anonymous') return { refuse: SocketClose.Unauthorized };
  if (!principal.scopes.includes('read')) return { refuse: SocketClose.Forbidden };
  return { principal };
}

function closeFor(error: unknown, logger: Logger): SocketClose {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  if (code === ErrorCode.Unauthenticated) return SocketClose.Unauthorized;
  if (code === 'SERVICE_UNAVAILABLE') {
    logger.warn({ err: error }, 'subscription connection refused: credential cannot be checked');
    return SocketClose.TryAgainLater;
  }
  logger.error({ err: error }, 'unexpected error while authenticating a subscription connection');
  return SocketClose.InternalError;
}
