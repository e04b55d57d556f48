import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import type { Principal } from '@platform/identity';
import type { RequestPrincipal } from '../auth/request-principal.js';
import { requestScope } from '../http/request-id.js';
import { rateLimitedError, rateLimitHeaders } from './headers.js';
import type { RateLimitDecision, RateLimiter } from './limiter.js';
import { principalKey } from './tiers.js';

/**
 * Callers refused by the rate limiter, remembered in this process until the Retry-After they were
 * given: until then their requests are answered 429 before their bodies are read. Without it a
 * caller whose budget is spent still makes the gateway read, JSON-parse and hash every body it
 * sends before the charge refuses it (the abuse soak: anonymous 1 MB documents, 65 a second,
 * most refused only after that work, tripled everyone's p99).
 */
export interface RefusedCallers {
  /** The limiter, remembering each refusal it decides. */
  limiter: RateLimiter;
  /** Express step before the body is parsed: 429 for a caller still inside its Retry-After. */
  refuseEarly: RequestHandler;
}

export interface RefusedCallersOptions {
  principalOf: RequestPrincipal;
  /** With a cap per API key, a key's refusal is not its owner's: such refusals are not kept. */
  apiKeysCapped: boolean;
  maxCallers?: number;
}

export function refusedCallers(
  limiter: RateLimiter,
  { principalOf, apiKeysCapped, maxCallers = 100_000 }: RefusedCallersOptions,
): RefusedCallers {
  const refused = new LRUCache<string, { decision: RateLimitDecision; until: number }>({
    max: maxCallers,
  });
  const remembers = (principal: Principal) => !(apiKeysCapped && principal.kind === 'apiKey');

  return {
    limiter: {
      async charge(principal, cost, clientIp) {
        const decision = await limiter.charge(principal, cost, clientIp);
        // A cost the bucket can never hold (retryAfterSeconds null) says nothing of cheaper ones.
        if (!decision.allowed && decision.retryAfterSeconds && remembers(principal)) {
          const ttl = decision.retryAfterSeconds * 1000;
          refused.set(decision.key, { decision, until: Date.now() + ttl }, { ttl });
        }
        return decision;
      },
    },
    refuseEarly: (req, res, next) => {
      if (refused.size === 0) return next();
      const scope = requestScope(res);
      principalOf(req, scope?.requestId ?? '')
        .then((principal) => {
          const entry = remembers(principal)
            ? refused.get(principalKey(principal, req.ip))
            : undefined;
          if (!entry) return next();
          const retryAfterSeconds = Math.max(1, Math.ceil((entry.until - Date.now()) / 1000));
          const decision = { ...entry.decision, retryAfterSeconds };
          const error = rateLimitedError(decision, { http: false });
          // A large body left unread would still be received and discarded on a kept-alive
          // socket: closing it stops the upload (the soak's 1 MB documents, 140 a second).
          if (hasLargeBody(req.headers)) res.setHeader('connection', 'close');
          res
            .status(429)
            .set(rateLimitHeaders(decision))
            .json({ errors: [{ message: error.message, extensions: error.extensions }] });
        })
        // An unusable credential is the normal path's to refuse, with its own error.
        .catch(() => next());
    },
  };
}

/** Bodies above this are not worth receiving only to discard. */
const LARGE_BODY_BYTES = 16 * 1024;

function hasLargeBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  return Number(headers['content-length'] ?? 0) > LARGE_BODY_BYTES;
}
