import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { ErrorCode, errorResponseBody } from '@platform/errors';
import type { Logger } from '@platform/logger';
import { requestScope } from './request-id.js';

/** Parses JSON bodies of at most `maxBytes`; anything larger is refused before it is buffered. */
export function jsonBody(maxBytes: number): RequestHandler {
  return express.json({ limit: maxBytes });
}

interface HttpError {
  status?: number;
  type?: string;
}

/**
 * Errors raised before GraphQL runs (body parsing, mostly) answered as GraphQL-shaped JSON:
 * malformed JSON is a 400 BAD_REQUEST, an oversized body a 413 PAYLOAD_TOO_LARGE. Bad input never
 * becomes a 500; anything else is a bug, logged and answered without internals.
 */
export function jsonErrorResponses(logger: Logger): ErrorRequestHandler {
  return (error: HttpError & Error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const log = requestScope(res)?.logger ?? logger;
    const status = error.status ?? 500;

    if (error.type === 'entity.parse.failed') {
      return res.status(400).json(errorResponseBody(ErrorCode.BadRequest, 'Malformed JSON body'));
    }
    if (status === 413) {
      return res
        .status(413)
        .json(errorResponseBody(ErrorCode.PayloadTooLarge, 'The request body is too large'));
    }
    if (status >= 400 && status < 500) {
      return res.status(status).json(errorResponseBody(ErrorCode.BadRequest, error.message));
    }
    log.error({ err: error }, 'request failed');
    res.status(500).json(errorResponseBody(ErrorCode.InternalServerError, 'Internal server error'));
  };
}
