/**
 * How the gateway closes a graphql-ws socket. graphql-ws clients do not retry 4401 (and 4500); they
 * do retry 4403 (a credential may gain the scope), 4008 and 1013.
 */
export const SocketClose = {
  /** No credential, or one that is invalid, expired or revoked. */
  Unauthorized: { code: 4401, reason: 'Unauthorized' },
  /** A valid credential without the `read` scope. */
  Forbidden: { code: 4403, reason: 'Forbidden' },
  /** The client reads slower than its notifications arrive; it may reconnect and resume `since`. */
  BufferLimitExceeded: { code: 4008, reason: 'Buffer limit exceeded' },
  /** A credential could not be checked right now (API keys: the user subgraph is unreachable). */
  TryAgainLater: { code: 1013, reason: 'Try again later' },
  InternalError: { code: 4500, reason: 'Internal server error' },
} as const;

export type SocketClose = (typeof SocketClose)[keyof typeof SocketClose];
