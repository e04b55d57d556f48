import { SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * How one subgraph fetch ended (`platform.subgraph.outcome`): `ok`, `errors` (the subgraph
 * answered with GraphQL errors), `unavailable` (timeout, breaker open, connection failure: the
 * reason in `platform.subgraph.failure`), or `shed` (the caller's per-principal fetch limit).
 */
export type FetchOutcome = 'ok' | 'errors' | 'unavailable' | 'shed';

/**
 * Puts the subgraph's name and the fetch's outcome on the fetch's span: @apollo/gateway runs each
 * fetch of a query plan inside its own `gateway.fetch` span (attribute `service`), active while
 * the data source works; an unavailable subgraph is answered with a substitute response rather
 * than an exception, so the span would otherwise look like a success.
 */
export function recordFetchOutcome(subgraph: string, outcome: FetchOutcome, failure?: string) {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttributes({
    'platform.subgraph.name': subgraph,
    'platform.subgraph.outcome': outcome,
    ...(failure ? { 'platform.subgraph.failure': failure } : {}),
  });
  if (outcome === 'unavailable' || outcome === 'shed') {
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure ?? outcome });
  }
}
