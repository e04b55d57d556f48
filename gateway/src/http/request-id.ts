import type { RequestHandler, Response } from 'express';
import { REQUEST_ID_HEADER, requestLogger, type Logger } from '@platform/logger';

export interface RequestScope {
  requestId: string;
  /** A child logger whose lines carry `requestId`. */
  logger: Logger;
}

/** Incoming ids are reused only when they look like ids: they end up in logs and headers. */
const REUSABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives every request an id: the caller's x-request-id when it sends a sane one, else a new UUID.
 * The id is echoed in the response, bound to the request's logger and sent to every subgraph.
 */
export function assignRequestId(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.header(REQUEST_ID_HEADER);
    const scopedLogger = requestLogger(
      logger,
      incoming && REUSABLE_REQUEST_ID.test(incoming) ? incoming : undefined,
    );
    const scope: RequestScope = {
      requestId: scopedLogger.bindings().requestId as string,
      logger: scopedLogger,
    };
    res.locals.requestScope = scope;
    res.setHeader(REQUEST_ID_HEADER, scope.requestId);
    next();
  };
}

/** The scope `assignRequestId` gave this request, or undefined on a route it does not cover. */
export function requestScope(res: Response): RequestScope | undefined {
  return res.locals.requestScope as RequestScope | undefined;
}
