import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@platform/identity';
import { REQUEST_ID_HEADER } from '@platform/logger';
import { responseOf, type SubgraphAnswer, type SubgraphResponse } from '../resilience/index.js';

/** What RemoteGraphQLDataSource hands its fetcher: method, headers (lower-case names), body. */
export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * Headers that differ between two requests asking the same thing of the same subgraph as the same
 * caller: the request id, and the signature's time and HMAC (which follow from the identity
 * header, which stays in the key).
 */
const PER_REQUEST_HEADERS = new Set([REQUEST_ID_HEADER, TIMESTAMP_HEADER, SIGNATURE_HEADER]);

export interface InFlightFetches {
  /**
   * `fetch`'s answer, shared with every identical request (same URL, body and identity) of the
   * same scope in flight at the same time: one HTTP call, each caller its own response to read.
   * `operation` is the client operation the request serves; without one (health checks, schema
   * loads) nothing is shared. A failure reaches every sharer.
   */
  share(
    operation: object | undefined,
    url: string,
    init: SubgraphRequestInit | undefined,
    fetch: () => Promise<SubgraphAnswer>,
  ): Promise<SubgraphResponse>;
}

/**
 * Identical subgraph requests in flight at once share one HTTP call. Callers pass only queries:
 * a mutation is always sent. Within one client operation requests are always shared; across
 * client operations only with `acrossOperations` (OPERATION_DEDUP_ENABLED), since a read that
 * joins a fetch which started before the caller's own mutation finished could miss that write.
 */
export function inFlightFetches({
  acrossOperations,
  onShared,
}: {
  acrossOperations: boolean;
  /** Called for each request answered by another's fetch. */
  onShared?: () => void;
}): InFlightFetches {
  const everyOperation = new Map<string, Promise<SubgraphAnswer>>();
  const byOperation = new WeakMap<object, Map<string, Promise<SubgraphAnswer>>>();

  const pendingOf = (operation: object): Map<string, Promise<SubgraphAnswer>> => {
    if (acrossOperations) return everyOperation;
    let pending = byOperation.get(operation);
    if (!pending) {
      pending = new Map();
      byOperation.set(operation, pending);
    }
    return pending;
  };

  return {
    async share(operation, url, init, fetch) {
      if (!operation || typeof init?.body !== 'string') return responseOf(await fetch());
      const pending = pendingOf(operation);
      const key = requestKey(url, init, init.body);
      let answer = pending.get(key);
      if (answer) {
        onShared?.();
      } else {
        const started = fetch();
        const forget = () => {
          if (pending.get(key) === started) pending.delete(key);
        };
        started.then(forget, forget);
        pending.set(key, started);
        answer = started;
      }
      return responseOf(await answer);
    },
  };
}

function requestKey(url: string, init: SubgraphRequestInit, body: string): string {
  const headers = Object.entries(init.headers ?? {})
    .filter(([name]) => !PER_REQUEST_HEADERS.has(name.toLowerCase()))
    .map(([name, value]) => `${name.toLowerCase()}:${value}`)
    .sort();
  // Header lines hold no line breaks (HTTP forbids them), so the blank line ends them.
  return `${init.method ?? 'POST'} ${url}\n${headers.join('\n')}\n\n${body}`;
}
