import type { RequestHandler } from 'express';
import { ErrorCode } from '@platform/errors';
import type { Logger } from '@platform/logger';
import { API_KEY_HEADER } from '../../auth/authenticate.js';
import type { SubscriptionPipeline } from '../pipeline.js';
import { sseFraming } from './framing.js';
import { streamFramingOf, readStreamRequest } from './negotiate.js';
import { closeRefusal, shuttingDown, subscribeRefusal, type HttpRefusal } from './refusals.js';
import { ResponseStream } from './response-stream.js';

export interface HttpSubscriptionOptions {
  /** The same pipeline graphql-ws uses: authentication, caps, limits, charge, sources. */
  pipeline: SubscriptionPipeline;
  /** SUBSCRIPTION_HEARTBEAT_SECONDS, in ms: an SSE comment line or a multipart `{}` part. */
  heartbeatMs: number;
  /** The token limit (MAX_QUERY_TOKENS), so telling a subscription apart parses no more. */
  maxTokens: number | undefined;
  logger: Logger;
}

export interface HttpSubscriptions {
  /** Serves a subscription asked for with a streaming Accept; anything else goes on to Apollo. */
  handler: RequestHandler;
  activeCount(): number;
  /** Ends every HTTP stream (503 SERVICE_UNAVAILABLE as its last frame); new ones are refused. */
  stop(): void;
}

/**
 * Subscriptions over HTTP, on the `/graphql` route after the JSON body is read:
 * - SSE, graphql-sse's "distinct connections mode" (POST, or GET with search parameters, with
 *   `Accept: text/event-stream`). Hand-written rather than graphql-sse's `createHandler`: that
 *   handler executes the operation itself and writes to the response on its own, so it could
 *   not run our pipeline's checks and charge before the response starts, nor pace by our
 *   outbox or end a stream when its credential expires; the mode is one response of `next`
 *   events and a `complete` (`framing.ts`). Its "single connection mode" (PUT reservations) is
 *   not served: graphql-sse clients use distinct connections unless told otherwise.
 * - Apollo's multipart subscriptions (POST with `Accept: multipart/mixed;subscriptionSpec=1.0`).
 * Both authenticate by the request's Authorization or x-api-key header; a refusal before the
 * stream starts is a JSON `{ errors }` with a 4xx (401, 403, 429 over a cap or the rate limit,
 * 400 for an invalid subscription), like graphql-sse's handler and the HTTP path answer.
 */
export function httpSubscriptions(options: HttpSubscriptionOptions): HttpSubscriptions {
  const { pipeline, logger } = options;
  const log = logger.child({ component: 'subscriptions' });
  const open = new Set<ResponseStream>();
  let stopping = false;

  const handler: RequestHandler = (req, res, next) => {
    const framing = streamFramingOf(req);
    if (!framing) return next();
    const request = readStreamRequest(req, options.maxTokens);
    if ('notSubscription' in request) return next();
    if ('invalid' in request) {
      return refuse(res, { status: 400, errors: [badRequest(request.invalid)] });
    }
    if (stopping) return refuse(res, shuttingDown);

    const response = new ResponseStream(res, framing, options.heartbeatMs, log);
    void (async () => {
      const params = {
        authorization: req.headers.authorization,
        [API_KEY_HEADER]: req.headers[API_KEY_HEADER],
      };
      const connection = await pipeline.connect(
        params,
        response,
        framing === sseFraming ? 'sse' : 'multipart',
      );
      if ('code' in connection) return refuse(res, closeRefusal(connection));
      try {
        if (response.gone) return;
        const accepted = await pipeline.subscribe(connection, request.subscribe);
        if (Array.isArray(accepted)) return refuse(res, subscribeRefusal(accepted));
        if (response.closedEarly) return refuse(res, closeRefusal(response.closedEarly));
        if (response.gone || stopping) {
          if (!response.gone) refuse(res, shuttingDown);
          return;
        }
        const stream = pipeline.open(connection, accepted);
        open.add(response);
        try {
          await response.run(stream);
        } finally {
          open.delete(response);
        }
      } finally {
        connection.release();
      }
    })().catch(next);
  };

  return {
    handler,
    activeCount: () => open.size,
    stop() {
      stopping = true;
      for (const response of open) response.endWith(shuttingDown);
    },
  };
}

function refuse(res: Parameters<RequestHandler>[1], refusal: HttpRefusal): void {
  if (res.headersSent || res.destroyed) return;
  res.status(refusal.status).json({ errors: refusal.errors });
}

const badRequest = (message: string) => ({ message, extensions: { code: ErrorCode.BadRequest } });
