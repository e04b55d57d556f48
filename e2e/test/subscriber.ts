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

/** `field`: the response key the payloads are read from (the subscribed field, or its alias). */
export function subscribe(
  gatewayUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  field = 'notificationAdded',
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
        if (result.data) received.push(result.data[field] as Record<string, unknown>);
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
        { timeoutMs, what: `${count} ${field} payloads` },
      ),
    close: () => client.dispose() as Promise<void>,
  };
}

/** A graphql-transport-ws message as it arrives. */
export interface RawMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A graphql-transport-ws socket driven by hand: for frames a graphql-ws client would not send. */
export interface RawSocket {
  messages: RawMessage[];
  /** Settles with the close code and reason, however the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with `connection_ack`, rejects if the socket closes first. */
  acknowledged: Promise<void>;
  send(message: object): void;
  sendText(text: string): void;
  close(): void;
}

export function openRawSocket(gatewayUrl: string, connectionParams: object): RawSocket {
  const socket = new WebSocket(gatewayUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: RawMessage[] = [];
  let onAck: () => void = () => {};
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as RawMessage;
    messages.push(message);
    if (message.type === 'connection_ack') onAck();
  });
  socket.on('error', () => {}); // the close event reports it
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const acknowledged = new Promise<void>((resolve, reject) => {
    onAck = resolve;
    void closed.then((close) => reject(new Error(`closed ${close.code} ${close.reason}`)));
  });
  acknowledged.catch(() => {});
  socket.once('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })),
  );
  return {
    messages,
    closed,
    acknowledged,
    send: (message) => socket.send(JSON.stringify(message)),
    sendText: (text) => socket.send(text),
    close: () => socket.close(1000),
  };
}
