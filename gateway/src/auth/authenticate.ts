import type { IncomingHttpHeaders } from 'node:http';
import { platformError, unauthenticated } from '@platform/errors';
import {
  ALL_SCOPES,
  AccessTokenError,
  KeySetUnavailableError,
  verifyAccessToken,
  type ExternalAccessTokenVerifier,
  type Principal,
} from '@platform/identity';
import type { ApiKeyVerifier } from './api-key-verifier.js';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Longer than any key the platform issues (46 characters) with room for other formats. A longer
 * one is refused here: sent on for verification it overflowed the user subgraph's 4 KB body
 * limit, and the failed verification answered 503 and logged an error every time.
 */
export const MAX_API_KEY_LENGTH = 256;

export interface AuthenticateOptions {
  jwtSecret: string;
  verifyApiKey: ApiKeyVerifier;
  /** An external OpenID Connect provider's tokens (OIDC_ISSUER), beside the platform's own. */
  externalTokens?: ExternalAccessTokenVerifier;
}

/**
 * The credential fields a caller sent, wherever they came from: HTTP headers
 * (`credentialFieldsOfHeaders`) or graphql-ws connectionParams (subscriptions/connection-auth.ts).
 * Values are unknown because connectionParams are arbitrary JSON.
 */
export interface CredentialFields {
  /** `Bearer <jwt>` or `ApiKey <key>` */
  authorization?: unknown;
  /** A bare API key */
  apiKey?: unknown;
}

/** Establishes who calls; throws a 401 UNAUTHENTICATED GraphQLError for a bad credential. */
export type Authenticate = (request: {
  credentials: CredentialFields;
  requestId: string;
}) => Promise<Principal>;

export function credentialFieldsOfHeaders(headers: IncomingHttpHeaders): CredentialFields {
  return { authorization: headers.authorization, apiKey: headers[API_KEY_HEADER] };
}

type Credential =
  { kind: 'none' } | { kind: 'accessToken'; token: string } | { kind: 'apiKey'; key: string };

/**
 * The caller's credential, from one of:
 * - `Authorization: Bearer <jwt>`: an access token from sign-up or login, verified with JWT_SECRET
 *   (HS256 only, so `alg: none` fails); or, when its `iss` is OIDC_ISSUER, a token of that
 *   external provider, verified with the provider's published keys (public-key algorithms only).
 *   Either way the caller is a user holding every scope.
 * - `x-api-key: <key>` or `Authorization: ApiKey <key>`: verified by the user subgraph; the key
 *   carries the scopes it was made with.
 * - nothing: the anonymous principal, which may only call public operations.
 * A credential that is present but invalid, expired or malformed is refused, never downgraded to
 * anonymous. HTTP requests and graphql-ws connections share this one path.
 */
export function authenticator({
  jwtSecret,
  verifyApiKey,
  externalTokens,
}: AuthenticateOptions): Authenticate {
  const verifyToken = (token: string) =>
    externalTokens?.claimsIssuer(token)
      ? externalTokens.verify(token)
      : verifyAccessToken(token, jwtSecret);
  return async ({ credentials, requestId }) => {
    const credential = readCredential(credentials);
    switch (credential.kind) {
      case 'none':
        return { kind: 'anonymous' };
      case 'accessToken':
        try {
          const { userId, role } = await verifyToken(credential.token);
          return { kind: 'user', userId, role, scopes: [...ALL_SCOPES] };
        } catch (error) {
          if (error instanceof AccessTokenError) throw unauthenticated(error.message);
          if (error instanceof KeySetUnavailableError) throw keysUnavailable();
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

function readCredential({ authorization, apiKey }: CredentialFields): Credential {
  if (authorization !== undefined && apiKey !== undefined) {
    throw unauthenticated(`Send one credential: Authorization or ${API_KEY_HEADER}, not both`);
  }
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string' || !/^\S+$/.test(apiKey)) {
      throw unauthenticated(`Malformed ${API_KEY_HEADER} header`);
    }
    return apiKeyCredential(apiKey);
  }
  if (authorization === undefined) return { kind: 'none' };
  if (typeof authorization !== 'string') throw malformedAuthorization();

  const [, scheme, value] = AUTHORIZATION.exec(authorization.trim()) ?? [];
  if (value && scheme?.toLowerCase() === 'bearer') return { kind: 'accessToken', token: value };
  if (value && scheme?.toLowerCase() === 'apikey') return apiKeyCredential(value);
  throw malformedAuthorization();
}

function apiKeyCredential(key: string): Credential {
  if (key.length > MAX_API_KEY_LENGTH) {
    throw unauthenticated(
      `The API key is invalid: it has ${key.length} characters, and keys have at most ${MAX_API_KEY_LENGTH}`,
    );
  }
  return { kind: 'apiKey', key };
}

const keysUnavailable = () =>
  platformError(
    'SERVICE_UNAVAILABLE',
    'Access tokens of the identity provider cannot be verified right now; try again',
    { http: { status: 503 } },
  );

const malformedAuthorization = () =>
  unauthenticated(
    "Malformed Authorization header: expected 'Bearer <access token>' or 'ApiKey <key>'",
  );
