import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@platform/errors';
import { SocketClose } from '../close-codes.js';

/** An HTTP answer to a subscription that did not start, or a stream's closing errors. */
export interface HttpRefusal {
  status: number;
  errors: GraphQLFormattedError[];
}

/** The HTTP status of a refused subscribe, by its first error's code; anything else is 400. */
const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.RateLimited]: 429,
  SUBSCRIPTION_LIMIT_EXCEEDED: 429,
  SERVICE_UNAVAILABLE: 503,
  [ErrorCode.InternalServerError]: 500,
};

/** What a socket's close code says, as an HTTP stream says it (status and error code). */
const BY_CLOSE_CODE: Record<number, { status: number; code: string; message: string }> = {
  [SocketClose.Unauthorized.code]: {
    status: 401,
    code: ErrorCode.Unauthenticated,
    message:
      'A valid credential is required (Authorization or x-api-key); it may have expired or been revoked',
  },
  [SocketClose.Forbidden.code]: {
    status: 403,
    code: ErrorCode.Forbidden,
    message: 'Subscriptions need a credential with the `read` scope',
  },
  [SocketClose.TooManySockets.code]: {
    status: 429,
    code: 'SUBSCRIPTION_LIMIT_EXCEEDED',
    message:
      'This user holds SOCKETS_PER_USER subscription connections (WebSockets and HTTP streams) on ' +
      'this gateway; close one first',
  },
  [SocketClose.BufferLimitExceeded.code]: {
    status: 503,
    code: 'BUFFER_LIMIT_EXCEEDED',
    message:
      'The client read slower than its notifications arrived; subscribe again with `since` to resume',
  },
  [SocketClose.TryAgainLater.code]: {
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
    message: 'The credential cannot be checked right now; try again later',
  },
};

/** Errors as the client sees them: `extensions.http` (status, headers) is the server's business. */
export function formatted(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    const extensions = { ...error.extensions };
    delete extensions.http;
    return { ...error.toJSON(), extensions };
  });
}

export function subscribeRefusal(errors: readonly GraphQLError[]): HttpRefusal {
  const code = errors[0]?.extensions.code;
  return {
    status: (typeof code === 'string' && STATUS_BY_CODE[code]) || 400,
    errors: formatted(errors),
  };
}

/** A close the pipeline asked for (`SocketClose`): refused connections and ended streams. */
export function closeRefusal(close: { code: number; reason: string }): HttpRefusal {
  const known = BY_CLOSE_CODE[close.code];
  if (!known) {
    return {
      status: 500,
      errors: [
        { message: 'Internal server error', extensions: { code: ErrorCode.InternalServerError } },
      ],
    };
  }
  return {
    status: known.status,
    errors: [{ message: known.message, extensions: { code: known.code } }],
  };
}

/** The gateway is stopping: the client may subscribe again (to another process) with `since`. */
export const shuttingDown: HttpRefusal = {
  status: 503,
  errors: [
    {
      message: 'The gateway is shutting down; subscribe again with `since` to resume',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    },
  ],
};
