import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { platformError } from '@platform/errors';
import {
  API_KEY_VERIFICATION_SUBGRAPH,
  signIdentity,
  type ApiKeyVerificationRequest,
  type ApiKeyVerificationResponse,
} from '@platform/identity';
import { REQUEST_ID_HEADER, type Logger } from '@platform/logger';

export type ApiKeyPrincipal = ApiKeyVerificationResponse['principal'];

/** The principal behind a live key, or undefined for a key that is unknown, revoked or expired. */
export type ApiKeyVerifier = (
  key: string,
  requestId: string,
) => Promise<ApiKeyPrincipal | undefined>;

export interface ApiKeyVerifierOptions {
  /** The user subgraph's API_KEY_VERIFICATION_PATH; a function because the supergraph can change. */
  verificationUrl: () => string;
  gatewaySecret: string;
  /** How long a verdict is cached; 0 asks the user subgraph every time. */
  cacheSeconds: number;
  logger: Logger;
  timeoutMs?: number;
  maxCachedKeys?: number;
}

/**
 * Verifies API keys with the user subgraph, which alone holds their hashes: POST `{ key }`, signed
 * like every gateway request (as anonymous), answered 200 `{ principal }` or 401.
 *
 * Both answers are cached for `cacheSeconds`, keyed by the key's SHA-256 so the cache never holds a
 * secret: a burst of requests with one key, or one bad key, costs one verification. The price is
 * that a revoked key keeps working for up to `cacheSeconds` (API_KEY_CACHE_SECONDS) after
 * revocation. Concurrent requests with the same key share one verification; a verification that
 * fails (user subgraph down) is not cached.
 */
export function apiKeyVerifier(options: ApiKeyVerifierOptions): ApiKeyVerifier {
  const { cacheSeconds, maxCachedKeys = 10_000 } = options;
  const ask = verifyWithUserSubgraph(options);
  if (cacheSeconds === 0) return ask;

  const verdicts = new LRUCache<string, Promise<ApiKeyPrincipal | undefined>>({
    max: maxCachedKeys,
    ttl: cacheSeconds * 1000,
  });
  return (key, requestId) => {
    const id = createHash('sha256').update(key).digest('hex');
    const cached = verdicts.get(id);
    if (cached) return cached;
    const verdict = ask(key, requestId);
    verdicts.set(id, verdict);
    verdict.catch(() => {
      if (verdicts.peek(id) === verdict) verdicts.delete(id);
    });
    return verdict;
  };
}

function verifyWithUserSubgraph({
  verificationUrl,
  gatewaySecret,
  logger,
  timeoutMs = 5_000,
}: ApiKeyVerifierOptions): ApiKeyVerifier {
  return async (key, requestId) => {
    const url = verificationUrl();
    const body = JSON.stringify({ key } satisfies ApiKeyVerificationRequest);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [REQUEST_ID_HEADER]: requestId,
          ...signIdentity(
            { kind: 'anonymous' },
            { secret: gatewaySecret, subgraph: API_KEY_VERIFICATION_SUBGRAPH, body },
          ),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      logger.error({ err: error, url, requestId }, 'API key verification request failed');
      throw verificationUnavailable();
    }

    // Always read the (small) body, so the connection is released whatever the answer.
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) return undefined;
    const principal = (answer as Partial<ApiKeyVerificationResponse> | undefined)?.principal;
    if (!response.ok || !isApiKeyPrincipal(principal)) {
      logger.error(
        { url, status: response.status, requestId },
        'unexpected API key verification answer',
      );
      throw verificationUnavailable();
    }
    return principal;
  };
}

const verificationUnavailable = () =>
  platformError('SERVICE_UNAVAILABLE', 'API keys cannot be verified right now; try again', {
    http: { status: 503 },
  });

function isApiKeyPrincipal(value: unknown): value is ApiKeyPrincipal {
  const candidate = value as Partial<Record<keyof ApiKeyPrincipal, unknown>> | undefined;
  return (
    candidate?.kind === 'apiKey' &&
    typeof candidate.userId === 'string' &&
    typeof candidate.apiKeyId === 'string' &&
    (candidate.role === 'USER' || candidate.role === 'ADMIN') &&
    Array.isArray(candidate.scopes) &&
    candidate.scopes.every((scope) => scope === 'read' || scope === 'write')
  );
}
