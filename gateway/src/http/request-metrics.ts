import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { Logger } from '@platform/logger';
import type { GatewayContext } from '../gateway-context.js';
import type { GatewayMetrics } from './metrics.js';
import { requestScope } from './request-id.js';

const outcomeOf = (status: number) =>
  status < 400 ? 'success' : status < 500 ? 'rejected' : 'failed';

/** Counts, times and logs every request once its response is sent, whatever step answered it. */
export function measureRequests(metrics: GatewayMetrics, logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const outcome = outcomeOf(res.statusCode);
      metrics.requests.inc({ outcome, status: String(res.statusCode) });
      metrics.requestDuration.observe({ outcome }, seconds);
      (requestScope(res)?.logger ?? logger).info(
        { method: req.method, status: res.statusCode, durationMs: Math.round(seconds * 1000) },
        'request completed',
      );
    });
    next();
  };
}

/** Counts the GraphQL errors of each response by code (an uncoded error is an internal one). */
export function countGraphQLErrors(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            metrics.graphqlErrors.inc({
              code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
            });
          }
        },
      };
    },
  };
}
