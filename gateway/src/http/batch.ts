import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { refusalChargeForSize } from '../cost/index.js';
import { concurrencyLimit, type ConcurrencyLimit } from '../resilience/index.js';

/** `extensions.code` of a batch with more operations than MAX_BATCH_OPERATIONS (HTTP 400). */
export const BATCH_LIMIT_EXCEEDED = 'BATCH_LIMIT_EXCEEDED';

/**
 * Charges a request refused before Apollo `tokens`; true when that charge refused it and the
 * response has been answered (429).
 */
export type ChargeRefusal = (req: Request, res: Response, tokens: number) => Promise<boolean>;

/**
 * Refuses an HTTP batch (a JSON array body) of more than `maxOperations` operations with 400
 * BATCH_LIMIT_EXCEEDED, before any of them is parsed or run. The refusal is charged like any
 * request refused before pricing (a token per 16 KiB of body, at least one), so a caller cannot
 * send oversized batches for free.
 */
export function batchLimit(maxOperations: number, chargeRefusal?: ChargeRefusal): RequestHandler {
  return async (req, res, next) => {
    const body: unknown = req.body;
    if (!Array.isArray(body) || body.length <= maxOperations) return next();
    const size = Number(req.headers['content-length'] ?? 0);
    try {
      if (chargeRefusal && (await chargeRefusal(req, res, refusalChargeForSize(size)))) return;
    } catch (error) {
      return next(error);
    }
    res.status(400).json({
      errors: [
        {
          message: `A batch may hold at most ${maxOperations} operations; this one holds ${body.length}: send fewer, or several requests`,
          extensions: { code: BATCH_LIMIT_EXCEEDED, operations: body.length, limit: maxOperations },
        },
      ],
    });
  };
}

/** What the context of an HTTP request carries so its batch's operations take turns. */
export interface BatchContext {
  /** One per HTTP request (the context function's), shared by the operations of its batch. */
  batchSlots?: ConcurrencyLimit;
}

/** The slots of one HTTP request's batch: `concurrency` operations run at once. */
export const batchSlots = (concurrency: number): ConcurrencyLimit =>
  concurrencyLimit({ limit: concurrency, maxWaitMs: Infinity });

/**
 * Runs the operations of an HTTP batch `concurrency` at a time. Apollo Server starts them all at
 * once (`Promise.all` in @apollo/server's httpBatching.js, with no option to bound it), so each
 * operation waits for a slot of its request's `batchSlots` in requestDidStart, before it is
 * parsed, and gives it back when its response is ready, or when Apollo fails unexpectedly. This
 * keeps Apollo's own batch handling (one context, shared response head) instead of splitting
 * batches in an express middleware.
 */
export function batchConcurrency<TContext extends BatchContext>(): ApolloServerPlugin<TContext> {
  const releases = new WeakMap<GraphQLRequestContext<TContext>, () => void>();
  return {
    async requestDidStart(requestContext) {
      const slots = requestContext.contextValue.batchSlots;
      if (!slots || !requestContext.requestIsBatched) return;
      const release = await slots.acquire('batch');
      releases.set(requestContext, release);
      return {
        async willSendResponse() {
          release();
        },
      };
    },
    async unexpectedErrorProcessingRequest({ requestContext }) {
      releases.get(requestContext)?.();
    },
  };
}
