import type { ExecutionResult, GraphQLFormattedError } from 'graphql';

/** How one HTTP subscription transport writes its stream. */
export interface StreamFraming {
  /** `transport` label of the metrics and logs. */
  name: 'sse' | 'multipart';
  contentType: string;
  /** Written once, right after the headers. */
  opening: string;
  /** One result of the subscription, its extensions (the cursor) kept as they come. */
  next(result: ExecutionResult): string;
  /** Keeps proxies and clients from timing out an idle stream. */
  heartbeat: string;
  /** The stream ended normally (the subscription completed). */
  complete: string;
  /**
   * The stream ends for a reason of the transport or the pipeline (credential expired or
   * revoked, the client read too slowly, the stream failed, the gateway stops).
   */
  error(errors: readonly GraphQLFormattedError[]): string;
}

/**
 * graphql-sse's "distinct connections mode": one request per subscription, answered with
 * `event: next` messages and one `event: complete` (graphql-sse's own `print`, `common.ts`);
 * comment lines are heartbeats. A failure ends with its errors as one more `next`, then
 * `complete`, as graphql-sse's handler does for an execution error.
 */
export const sseFraming: StreamFraming = {
  name: 'sse',
  contentType: 'text/event-stream; charset=utf-8',
  opening: ':\n\n',
  next: (result) => `event: next\ndata: ${JSON.stringify(result)}\n\n`,
  heartbeat: ':\n\n',
  complete: 'event: complete\ndata:\n\n',
  error: (errors) =>
    `event: next\ndata: ${JSON.stringify({ errors })}\n\nevent: complete\ndata:\n\n`,
};

/** Apollo's multipart subscriptions answer with this boundary (their spec asks for `graphql`). */
const BOUNDARY = 'graphql';
const part = (json: string) => `\r\nContent-Type: application/json\r\n\r\n${json}\r\n--${BOUNDARY}`;
const end = '--\r\n';

/**
 * Apollo's multipart HTTP protocol for subscriptions (Apollo Client, Kotlin and iOS): a
 * `multipart/mixed` body whose parts are `{"payload": <result>}`, `{}` heartbeats, and a
 * transport-level error `{"payload": null, "errors": [...]}` before the closing boundary. Each
 * part ends with the boundary line, so the next write is either another part or the `--` closing.
 */
export const multipartFraming: StreamFraming = {
  name: 'multipart',
  contentType: `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`,
  opening: `\r\n--${BOUNDARY}`,
  next: (result) => part(JSON.stringify({ payload: result })),
  heartbeat: part('{}'),
  complete: end,
  error: (errors) => part(JSON.stringify({ payload: null, errors })) + end,
};
