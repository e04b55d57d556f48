import cors from 'cors';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { env } from '@platform/config';
import { REQUEST_ID_HEADER } from '@platform/logger';

/** CORS settings, a shape the gateway's config schema extends. */
export const corsSettings = {
  /**
   * Comma-separated origins (`https://app.example.com`) whose browser pages may call the API;
   * `*` allows any origin (without credentials). Empty, the default: same-origin only.
   */
  CORS_ORIGINS: env.csv(''),
  /** How long a browser may reuse a preflight answer. */
  CORS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(600),
};

/** What a cross-origin caller may send: credentials, request ids and Apollo's CSRF headers. */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-api-key',
  REQUEST_ID_HEADER,
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
];

/** What a cross-origin caller may read: the request id and the rate limiter's answers. */
const EXPOSED_HEADERS = [
  REQUEST_ID_HEADER,
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
];

/**
 * CORS for /graphql (the `cors` package): an allowed origin's preflight is answered 204 and its
 * requests carry the Access-Control-* headers; any other origin gets none, so its browser refuses
 * to hand the response to the page. Listed origins may send credentials; `*` may not (a wildcard
 * with credentials would let any site act as the signed-in user).
 */
export function corsForOrigins(settings: {
  CORS_ORIGINS: string[];
  CORS_MAX_AGE_SECONDS: number;
}): RequestHandler {
  const anyOrigin = settings.CORS_ORIGINS.includes('*');
  const allowed = new Set(settings.CORS_ORIGINS);
  return cors({
    origin: anyOrigin ? '*' : (origin, callback) => callback(null, !!origin && allowed.has(origin)),
    credentials: !anyOrigin,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: settings.CORS_MAX_AGE_SECONDS,
    optionsSuccessStatus: 204,
  });
}
