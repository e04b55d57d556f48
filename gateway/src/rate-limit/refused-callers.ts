import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
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
  /**
   * Charges `tokens` for a request refused before Apollo saw it (a batch over its cap), with the
   * RateLimit-* headers on `res`; true when the charge refused it and `res` was answered 429.
   */
  chargeRefused(req: Request, res: Response, tokens: number): Promise<boolean>;
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
  const principalOfRequest = (req: Request, res: Response) =>
    principalOf(req, requestScope(res)?.requestId ?? '');

  const remembering: RateLimiter = {
    async charge(principal, cost, clientIp) {
      const decision = await limiter.charge(principal, cost, clientIp);
      // A cost the bucket can never hold (retryAfterSeconds null) says nothing of cheaper ones.
      if (!decision.allowed && decision.retryAfterSeconds && remembers(principal)) {
        const ttl = decision.retryAfterSeconds * 1000;
        refused.set(decision.key, { decision, until: Date.now() + ttl }, { ttl });
      }
      return decision;
    },
  };

  return {
    limiter: remembering,
    refuseEarly: (req, res, next) => {
      if (refused.size === 0) return next();
      principalOfRequest(req, res)
        .then((principal) => {
          const entry = remembers(principal)
            ? refused.get(principalKey(principal, req.ip))
            : undefined;
          if (!entry) return next();
          const retryAfterSeconds = Math.max(1, Math.ceil((entry.until - Date.now()) / 1000));
          answerRateLimited(req, res, { ...entry.decision, retryAfterSeconds });
        })
        // An unusable credential is the normal path's to refuse, with its own error.
        .catch(() => next());
    },
    async chargeRefused(req, res, tokens) {
      // An unusable credential is answered by what refused the request, and not charged.
      const principal = await principalOfRequest(req, res).catch(() => undefined);
      if (!principal) return false;
      const decision = await remembering.charge(principal, tokens, req.ip);
      res.set(rateLimitHeaders(decision));
      if (decision.allowed) return false;
      answerRateLimited(req, res, decision);
      return true;
    },
  };
}

/** 429 RATE_LIMITED with the decision's headers, as the normal path answers it. */
function answerRateLimited(req: Request, res: Response, decision: RateLimitDecision): void {
  const error = rateLimitedError(decision, { http: false });
  // A large body left unread would still be received and discarded on a kept-alive socket:
  // closing it stops the upload (the soak's 1 MB documents, 140 a second).
  if (hasLargeBody(req.headers)) res.setHeader('connection', 'close');
  res
    .status(429)
    .set(rateLimitHeaders(decision))
    .json({ errors: [{ message: error.message, extensions: error.extensions }] });
}

/** Bodies above this are not worth receiving only to discard. */
const LARGE_BODY_BYTES = 16 * 1024;

function hasLargeBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  return Number(headers['content-length'] ?? 0) > LARGE_BODY_BYTES;
}
