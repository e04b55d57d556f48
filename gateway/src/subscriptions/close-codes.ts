/**
 * How the gateway closes a graphql-ws socket. graphql-ws clients do not retry 4401 (and 4500); they
 * do retry 4403 (a credential may gain the scope), 4420, 4008 and 1013. An open socket is closed
 * 4401 too when its credential stops being valid (a revoked API key, an expired JWT) and 4403 when
 * its API key lost the `read` scope (`reauthentication.ts`).
 */
export const SocketClose = {
  /** No credential, or one that is invalid, expired or revoked. */
  Unauthorized: { code: 4401, reason: 'Unauthorized' },
  /** A valid credential without the `read` scope. */
  Forbidden: { code: 4403, reason: 'Forbidden' },
  /**
   * The user already holds SOCKETS_PER_USER sockets on this gateway process. Not one of
   * graphql-ws's own codes (4429 is its "too many initialisation requests"), so its clients retry
   * it with their backoff, which succeeds once one of the user's sockets closes.
   */
  TooManySockets: { code: 4420, reason: 'Too many sockets' },
  /** The client reads slower than its notifications arrive; it may reconnect and resume `since`. */
  BufferLimitExceeded: { code: 4008, reason: 'Buffer limit exceeded' },
  /** A credential could not be checked right now (API keys: the user subgraph is unreachable). */
  TryAgainLater: { code: 1013, reason: 'Try again later' },
  InternalError: { code: 4500, reason: 'Internal server error' },
} as const;

export type SocketClose = (typeof SocketClose)[keyof typeof SocketClose];
