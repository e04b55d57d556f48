import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { request } from 'undici';
import { SubgraphAttemptError } from './subgraph-failure.js';
import { SubgraphResponse } from './subgraph-response.js';

/** What RemoteGraphQLDataSource passes its fetcher: method, headers, the JSON body. */
type FetcherRequestInit = Parameters<RemoteGraphQLDataSource['fetcher']>[1];

/** A subgraph's HTTP answer, read whole: what several callers of one shared fetch each read. */
export interface SubgraphAnswer {
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** A fresh response of an answer, for one reader (RemoteGraphQLDataSource reads its JSON). */
export const responseOf = (answer: SubgraphAnswer): SubgraphResponse =>
  new SubgraphResponse(answer);

/**
 * One HTTP attempt at a subgraph, aborted by `signal`. The whole answer is read before it
 * returns, so the timeout covers a subgraph that sends its headers and then stalls.
 *
 * Sent with undici's `request` (keep-alive connection pool) rather than the global `fetch`: fetch
 * builds a WHATWG Request, Response, web streams and an AbortSignal of its own for every call,
 * which was about a quarter of the gateway's CPU per dashboard (bench/profiles/gateway.md).
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

  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(url, {
      method: (init?.method ?? 'POST') as 'POST',
      headers: init?.headers,
      body: init?.body,
      signal,
    });
  } catch (error) {
    throw failure(error);
  }
  let body: Uint8Array;
  try {
    body = await response.body.bytes();
  } catch (error) {
    throw failure(error);
  }
  if (response.statusCode >= 500) {
    throw new SubgraphAttemptError('bad_status', response.statusCode);
  }
  return { url, status: response.statusCode, headers: response.headers, body };
}
