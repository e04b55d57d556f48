import type { RequestHandler } from 'express';
import { ErrorCode, errorResponseBody } from '@platform/errors';
import { cachedIdentityVerifier, IdentityError } from '@platform/identity';
import type { Logger } from '@platform/logger';

/**
 * Refuses every request that does not carry the gateway's signed identity, before it reaches
 * GraphQL. On success the verified principal is in `res.locals.principal`. Header sets that
 * verified are remembered (cachedIdentityVerifier): the several fetches the gateway makes for
 * one operation carry the same signed headers, and each HMAC check costs more than a lookup.
 */
export function gatewaySignatureGuard(secret: string, logger: Logger): RequestHandler {
  const verifyIdentity = cachedIdentityVerifier(secret);
  return (req, res, next) => {
    try {
      res.locals.principal = verifyIdentity(req.headers);
      next();
    } catch (error) {
      if (!(error instanceof IdentityError)) return next(error);
      logger.warn({ reason: error.reason, path: req.path, ip: req.ip }, 'refused unsigned request');
      res
        .status(401)
        .json(errorResponseBody(ErrorCode.Unauthenticated, `Request refused: ${error.message}`));
    }
  };
}
