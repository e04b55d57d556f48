import type { IncomingHttpHeaders } from 'node:http';
import { unauthenticated } from '@platform/errors';
import {
  ALL_SCOPES,
  AccessTokenError,
  verifyAccessToken,
  type Principal,
} from '@platform/identity';
import type { ApiKeyVerifier } from './api-key-verifier.js';

export const API_KEY_HEADER = 'x-api-key';

export interface AuthenticateOptions {
  jwtSecret: string;
  verifyApiKey: ApiKeyVerifier;
}

/** Establishes who calls; throws a 401 UNAUTHENTICATED GraphQLError for a bad credential. */
export type Authenticate = (request: {
  headers: IncomingHttpHeaders;
  requestId: string;
}) => Promise<Principal>;

type Credential =
  { kind: 'none' } | { kind: 'accessToken'; token: string } | { kind: 'apiKey'; key: string };

/**
 * The caller's credential, from one of:
 * - `Authorization: Bearer <jwt>`: an access token from sign-up or login, verified with JWT_SECRET
 *   (HS256 only, so `alg: none` fails); a user holds every scope.
 * - `x-api-key: <key>` or `Authorization: ApiKey <key>`: verified by the user subgraph; the key
 *   carries the scopes it was made with.
 * - nothing: the anonymous principal, which may only call public operations.
 * A credential that is present but invalid, expired or malformed is refused, never downgraded to
 * anonymous.
 */
export function authenticator({ jwtSecret, verifyApiKey }: AuthenticateOptions): Authenticate {
  return async ({ headers, requestId }) => {
    const credential = readCredential(headers);
    switch (credential.kind) {
      case 'none':
        return { kind: 'anonymous' };
      case 'accessToken':
        try {
          const { userId, role } = await verifyAccessToken(credential.token, jwtSecret);
          return { kind: 'user', userId, role, scopes: [...ALL_SCOPES] };
        } catch (error) {
          if (error instanceof AccessTokenError) throw unauthenticated(error.message);
          throw error;
        }
      case 'apiKey': {
        const principal = await verifyApiKey(credential.key, requestId);
        if (!principal) throw unauthenticated('The API key is invalid or has been revoked');
        return principal;
      }
    }
  };
}

const AUTHORIZATION = /^(\S+) +(\S+)$/;

function readCredential(headers: IncomingHttpHeaders): Credential {
  const authorization = headers.authorization;
  const apiKey = headers[API_KEY_HEADER];
  if (authorization !== undefined && apiKey !== undefined) {
    throw unauthenticated(`Send one credential: Authorization or ${API_KEY_HEADER}, not both`);
  }
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string' || !/^\S+$/.test(apiKey)) {
      throw unauthenticated(`Malformed ${API_KEY_HEADER} header`);
    }
    return { kind: 'apiKey', key: apiKey };
  }
  if (authorization === undefined) return { kind: 'none' };

  const [, scheme, value] = AUTHORIZATION.exec(authorization.trim()) ?? [];
  if (value && scheme?.toLowerCase() === 'bearer') return { kind: 'accessToken', token: value };
  if (value && scheme?.toLowerCase() === 'apikey') return { kind: 'apiKey', key: value };
  throw unauthenticated(
    "Malformed Authorization header: expected 'Bearer <access token>' or 'ApiKey <key>'",
  );
}
