import { HeaderMap } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { platformError } from '@platform/errors';
import type { RateLimitDecision } from './limiter.js';

/** `extensions.code` of a request refused by the rate limiter. */
export const RATE_LIMITED = 'RATE_LIMITED';

/**
 * The IETF draft RateLimit header fields for a decision: the bucket's capacity, the whole tokens
 * left after this charge, and the seconds until the bucket is full again; a refused request that
 * can pass later also gets Retry-After, the seconds until its cost is available.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
  if (!decision.allowed && decision.retryAfterSeconds !== null) {
    headers['Retry-After'] = String(decision.retryAfterSeconds);
  }
  return headers;
}

/**
 * The error a refused request gets: RATE_LIMITED with HTTP 429 and the decision's headers (Apollo
 * Server applies `extensions.http` of a thrown error to the response and strips it from the body).
 * Pass `{ http: false }` where there is no HTTP response to shape (a graphql-ws subscribe).
 */
export function rateLimitedError(
  decision: RateLimitDecision,
  { http = true }: { http?: boolean } = {},
): GraphQLError {
  const { cost, limit, remaining, retryAfterSeconds } = decision;
  const message =
    retryAfterSeconds === null
      ? `This operation costs ${cost}, more than the ${limit} tokens your rate limit holds, so it ` +
        `can never pass: request fewer fields or smaller pages, or split it into several operations`
      : `Rate limit exceeded: this operation costs ${cost} and ${remaining} of ${limit} tokens are ` +
        `left; retry in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}`;
  const extensions: Record<string, unknown> = { retryAfterSeconds, cost, limit };
  if (http) {
    extensions.http = {
      status: 429,
      headers: new HeaderMap(Object.entries(rateLimitHeaders(decision))),
    };
  }
  return platformError(RATE_LIMITED, message, extensions);
}
