import http from 'node:http';
import type { ExecutionResult } from 'graphql';
import { createClient } from 'graphql-sse';
import { meros } from 'meros/node';
import { eventually } from '@platform/testing';

/** How an HTTP subscription stream ended. */
export interface StreamEnd {
  /** The HTTP status: 200 for a stream that started, the refusal's otherwise. */
  status?: number;
  /** A refusal's JSON body, or a multipart transport error (`{ payload: null, errors }`). */
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  /** The stream ended with `complete` (SSE) or its closing boundary (multipart). */
  completed?: boolean;
  failure?: unknown;
}

/** One HTTP subscription, its results collected as they arrive. */
export interface StreamSubscriber {
  results: ExecutionResult[];
  /** Multipart `{}` parts received. */
  heartbeats: number;
  ended: Promise<StreamEnd>;
  /** Waits (bounded) until a result satisfies `match`. */
  waitFor(
    match: (result: ExecutionResult) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<ExecutionResult>;
  /** The client goes away (closes the connection). */
  abort(): void;
}

type Request = { query: string; variables?: Record<string, unknown> };

function collector() {
  const results: ExecutionResult[] = [];
  let settle!: (end: StreamEnd) => void;
  const ended = new Promise<StreamEnd>((resolve) => (settle = resolve));
  let done: StreamEnd | undefined;
  void ended.then((end) => (done = end));
  const waitFor = (match: (result: ExecutionResult) => boolean, what: string, timeoutMs = 30_000) =>
    eventually(
      () => {
        const found = results.find(match);
        if (found) return found;
        const failed = results.find((result) => result.errors !== undefined);
        if (failed) throw new Error(`an error frame before ${what}: ${JSON.stringify(failed)}`);
        if (done) throw new Error(`the stream ended before ${what}: ${JSON.stringify(done)}`);
        return undefined;
      },
      { what, timeoutMs },
    );
  return { results, ended, settle, waitFor };
}

/** graphql-sse's own client, distinct connections mode (one request per subscription). */
export function subscribeSse(
  gatewayUrl: string,
  headers: Record<string, string>,
  request: Request,
): StreamSubscriber {
  const { results, ended, settle, waitFor } = collector();
  const client = createClient({ url: gatewayUrl, headers, retryAttempts: 0, fetchFn: fetch });
  const unsubscribe = client.subscribe(request, {
    next: (result) => void results.push(result as ExecutionResult),
    error: (error: unknown) => {
      const response = (error as { response?: Response }).response;
      if (!response) return settle({ failure: error });
      void response
        .json()
        .then((body: { errors?: StreamEnd['errors'] }) =>
          settle({ status: response.status, errors: body.errors }),
        )
        .catch(() => settle({ status: response.status }));
    },
    complete: () => settle({ status: 200, completed: true }),
  });
  return {
    results,
    heartbeats: 0,
    ended,
    waitFor,
    abort: () => {
      unsubscribe();
      client.dispose();
    },
  };
}

/** Apollo's multipart subscription protocol, the stream read by `meros`. */
export function subscribeMultipart(
  gatewayUrl: string,
  headers: Record<string, string>,
  request: Request,
  accept = 'multipart/mixed;subscriptionSpec="1.0", application/json',
): StreamSubscriber {
  const { results, ended, settle, waitFor } = collector();
  const subscriber: StreamSubscriber = { results, heartbeats: 0, ended, waitFor, abort: () => {} };
  const req = http.request(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...headers },
  });
  subscriber.abort = () => req.destroy();
  req.on('error', (failure) => settle({ failure }));
  req.on('response', (res) => {
    void (async () => {
      if (!res.headers['content-type']?.startsWith('multipart/mixed')) {
        let text = '';
        for await (const chunk of res) text += String(chunk);
        const body = JSON.parse(text) as { errors?: StreamEnd['errors'] };
        return settle({ status: res.statusCode, errors: body.errors });
      }
      const parts = await meros<Record<string, unknown>>(res);
      for await (const part of parts as AsyncIterable<{ json: boolean; body: unknown }>) {
        const body = part.body as {
          payload?: ExecutionResult | null;
          errors?: StreamEnd['errors'];
        };
        if (!part.json) throw new Error(`a part that is not JSON: ${String(part.body)}`);
        if (!('payload' in body)) subscriber.heartbeats += 1;
        else if (body.payload === null)
          return settle({ status: res.statusCode, errors: body.errors });
        else results.push(body.payload!);
      }
      settle({ status: res.statusCode, completed: true });
    })().catch((failure: unknown) => settle({ failure }));
  });
  req.end(JSON.stringify(request));
  return subscriber;
}
