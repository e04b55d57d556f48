import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace, type Span } from '@opentelemetry/api';
import { markFailed } from '@platform/telemetry';

const tracer = trace.getTracer('@platform/gateway');

function ended(span: Span, errors: readonly Error[] | undefined | Error) {
  const list = errors === undefined ? [] : Array.isArray(errors) ? errors : [errors];
  if (list.length > 0) {
    markFailed(span, list[0]);
    span.setAttribute('platform.graphql.errors', list.length);
  }
  span.end();
}

/**
 * Apollo Server's own steps as spans of the request's trace (the HTTP server span is their
 * parent; @apollo/gateway adds gateway.request, gateway.plan, gateway.execute and a gateway.fetch
 * per subgraph fetch): `graphql.parse` (only when the document is not cached) and
 * `graphql.validate`, and the operation's name and type on the request's span.
 */
export function tracingPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const request = trace.getActiveSpan();
      return {
        async parsingDidStart() {
          const span = tracer.startSpan('graphql.parse');
          return async (error) => ended(span, error);
        },
        async validationDidStart() {
          const span = tracer.startSpan('graphql.validate');
          return async (errors) => ended(span, errors);
        },
        async didResolveOperation({ operation, operationName }) {
          request?.setAttributes({
            ...(operation ? { 'graphql.operation.type': operation.operation } : {}),
            ...(operationName ? { 'graphql.operation.name': operationName } : {}),
          });
        },
        async didEncounterErrors({ errors }) {
          request?.setAttribute('platform.graphql.errors', errors.length);
        },
      };
    },
  };
}
