import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from '@platform/testing';

/** A mobile-app-like subscriber: one graphql-ws connection, results collected as they arrive. */
export interface Subscriber {
  received: Array<Record<string, unknown>>;
  errors: unknown[];
  /** Waits (bounded) until at least `count` payloads arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export function subscribe(
  gatewayUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Subscriber {
  const client: Client = createClient({
    url: gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const received: Array<Record<string, unknown>> = [];
  const errors: unknown[] = [];
  client.subscribe(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        if (result.data) received.push(result.data.notificationAdded as Record<string, unknown>);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  return {
    received,
    errors,
    waitFor: (count, timeoutMs = 30_000) =>
      eventually(
        () => {
          if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
          return received.length >= count ? received : undefined;
        },
        { timeoutMs, what: `${count} notifications` },
      ),
    close: () => client.dispose() as Promise<void>,
  };
}
