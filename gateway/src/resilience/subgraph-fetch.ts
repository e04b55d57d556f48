import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { SubgraphAttemptError } from './subgraph-failure.js';

/** What RemoteGraphQLDataSource passes its fetcher: method, headers, the JSON body. */
type FetcherRequestInit = Parameters<RemoteGraphQLDataSource['fetcher']>[1];

/** Statuses with no body, which a Response cannot be built with one. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** A subgraph's HTTP answer, read whole: what several callers of one shared fetch each read. */
export interface SubgraphAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

/** A fresh Response of an answer, for one reader. */
export const responseOf = ({ status, statusText, headers, body }: SubgraphAnswer): Response =>
  new Response(body, { status, statusText, headers });

/**
 * One HTTP attempt at a subgraph, aborted by `signal`. The whole answer is read before it
 * returns, so the timeout covers a subgraph that sends its headers and then stalls.
 * @throws SubgraphAttemptError when the subgraph could not be reached, answered 5xx, or was
 *   aborted; a 4xx answer is returned (it says the request was wrong, not the subgraph).
 */
export async function fetchSubgraphOnce(
  url: string,
  init: FetcherRequestInit | undefined,
  signal: AbortSignal,
): Promise<SubgraphAnswer> {
  const failure = (error: unknown) =>
    new SubgraphAttemptError(signal.aborted ? 'timeout' : 'network', undefined, { cause: error });

  let response: Response;
  try {
    response = await fetch(url, { ...init, signal });
  } catch (error) {
    throw failure(error);
  }
  let body: ArrayBuffer;
  try {
    body = await response.arrayBuffer();
  } catch (error) {
    throw failure(error);
  }
  if (response.status >= 500) throw new SubgraphAttemptError('bad_status', response.status);
  return {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body: NULL_BODY_STATUSES.has(response.status) ? null : body,
  };
}
