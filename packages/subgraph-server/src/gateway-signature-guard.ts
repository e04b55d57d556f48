import express, { type Request, type RequestHandler } from 'express';
import { ErrorCode, errorResponseBody } from '@platform/errors';
import { IdentityError, subgraphIdentityVerifier } from '@platform/identity';
import type { Logger } from '@platform/logger';

export interface GatewaySignatureGuardOptions {
  /** This subgraph's name in the supergraph: signatures made for another subgraph are refused. */
  subgraph: string;
  secret: string;
  logger: Logger;
  /** The largest body read (body-parser's `limit`); beyond it 413 PAYLOAD_TOO_LARGE. */
  maxBody: string;
}

const NO_BODY = Buffer.alloc(0);

/**
 * Refuses every request that does not carry the gateway's signed identity for this subgraph and
 * this exact body (packages/identity/README.md), before anything parses it. It reads the raw
 * body itself, since the signature covers its bytes, then hands on the parsed JSON in `req.body`
 * (so no `express.json()` follows it) and the verified principal in `res.locals.principal`.
 */
export function gatewaySignatureGuard({
  subgraph,
  secret,
  logger,
  maxBody,
}: GatewaySignatureGuardOptions): RequestHandler {
  const verify = subgraphIdentityVerifier(secret, subgraph);
  const readRawBody = express.raw({ type: () => true, limit: maxBody });
  return (req, res, next) => {
    readRawBody(req, res, (readError?: unknown) => {
      if (readError) return next(readError);
      const raw = Buffer.isBuffer(req.body) ? req.body : NO_BODY;
      try {
        res.locals.principal = verify(req.headers, raw);
      } catch (error) {
        if (!(error instanceof IdentityError)) return next(error);
        logger.warn(
          { reason: error.reason, path: req.path, ip: req.ip },
          'refused unsigned request',
        );
        res
          .status(401)
          .json(errorResponseBody(ErrorCode.Unauthenticated, `Request refused: ${error.message}`));
        return;
      }
      const parsed = parseJson(req, raw);
      if (!parsed.ok) {
        res.status(400).json(errorResponseBody(ErrorCode.BadRequest, parsed.message));
        return;
      }
      req.body = parsed.value;
      next();
    });
  };
}

/** What `express.json()` would have made of the body: JSON bodies parsed, others left unset. */
function parseJson(
  req: Request,
  raw: Buffer,
): { ok: true; value: unknown } | { ok: false; message: string } {
  if (raw.length === 0 || !req.is('application/json')) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { ok: false, message: `The body is not valid JSON: ${(error as Error).message}` };
  }
}
