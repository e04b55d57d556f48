import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Histogram, type Registry } from 'prom-client';
import type { GatewayContext } from '../gateway-context.js';
import {
  OPERATION_NAME,
  operationNameLabels,
  operationOutcome,
  type OperationOutcome,
} from './operation-labels.js';

type OperationLabel = 'operation_name' | 'operation_type' | 'outcome';

export interface OperationMetrics {
  /** Times every client operation Apollo runs (each operation of a batch on its own). */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** The response cache's fast path, with the answers it serves timed as successful queries. */
  measureFastPath(fastPath: RequestHandler): RequestHandler;
}

/** `query Name` at the start of a document: the fast path's only way to a name without parsing. */
const LEADING_QUERY_NAME = /^\s*query\s+([_A-Za-z][_0-9A-Za-z]*)/;

/**
 * `gateway_operation_duration_seconds{operation_name, operation_type, outcome}`: each client
 * operation from the moment the gateway takes it up (Apollo's request start, or the cache fast
 * path) to its response. Names are bounded (`operation-labels.ts`); operations the gateway runs for
 * subscribers (`internal`) are not counted here.
 */
export function createOperationMetrics(registry: Registry): OperationMetrics {
  const duration = new Histogram<OperationLabel>({
    name: 'gateway_operation_duration_seconds',
    help: 'Client GraphQL operations by operation name (bounded), type and outcome (success, rejected, failed)',
    labelNames: ['operation_name', 'operation_type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const names = operationNameLabels();
  const observe = (
    started: bigint,
    labels: { operation_name: string; operation_type: string; outcome: OperationOutcome },
  ) => duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);

  return {
    plugin: {
      async requestDidStart({ contextValue }) {
        if (contextValue.internal === true) return undefined;
        const started = process.hrtime.bigint();
        let operationName: string = OPERATION_NAME.unknown;
        let operationType = 'unknown';
        return {
          async didResolveOperation({ operationName: name, operation }) {
            operationName = names.admit(name);
            operationType = operation?.operation ?? 'unknown';
          },
          async willSendResponse({ response }) {
            const errors =
              response.body.kind === 'single'
                ? response.body.singleResult.errors
                : response.body.initialResult.errors;
            observe(started, {
              operation_name: operationName,
              operation_type: operationType,
              outcome: operationOutcome(errors),
            });
          },
        };
      },
    },

    measureFastPath: (fastPath) => (req, res, next) => {
      const started = process.hrtime.bigint();
      let passed = false;
      res.once('finish', () => {
        if (passed) return;
        const body = (req.body ?? {}) as { operationName?: unknown; query?: unknown };
        const name =
          typeof body.operationName === 'string'
            ? body.operationName
            : typeof body.query === 'string'
              ? LEADING_QUERY_NAME.exec(body.query)?.[1]
              : undefined;
        observe(started, {
          operation_name: names.known(name),
          operation_type: 'query',
          outcome: res.statusCode < 400 ? 'success' : 'failed',
        });
      });
      void fastPath(req, res, (error?: unknown) => {
        passed = true;
        next(error);
      });
    },
  };
}
