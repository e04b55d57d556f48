import WebSocket from 'ws';

/** A graphql-transport-ws message as the server sends it. */
export interface ServerMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

export interface SocketClosed {
  code: number;
  reason: string;
  /** Date.now() when the close arrived. */
  at: number;
}

/**
 * One graphql-transport-ws socket driven frame by frame, as an attacker would (graphql-ws's own
 * client cannot send a frame it considers invalid, nor report close codes per attempt).
 */
export interface ProtocolSocket {
  /** True once `connection_ack` arrives, false when the socket closes first. */
  acknowledged: Promise<boolean>;
  /** Resolves when the socket closes, with the server's code and reason. */
  closed: Promise<SocketClosed>;
  isOpen(): boolean;
  onMessage(listener: (message: ServerMessage) => void): void;
  /** Sends a message (an object is JSON-encoded; a string is sent as it is). */
  send(message: object | string): void;
  /** Sends `ping` and resolves at the `pong` (or the close). */
  ping(): Promise<void>;
  close(): Promise<SocketClosed>;
}

export function openProtocolSocket(
  url: string,
  connectionParams: Record<string, unknown>,
): ProtocolSocket {
  const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
  const listeners: Array<(message: ServerMessage) => void> = [];
  const pongs: Array<() => void> = [];
  let acknowledge: (value: boolean) => void = () => {};
  const acknowledged = new Promise<boolean>((resolve) => (acknowledge = resolve));
  const closed = new Promise<SocketClosed>((resolve) => {
    ws.once('close', (code, reason) => {
      acknowledge(false);
      for (const pong of pongs.splice(0)) pong();
      resolve({ code, reason: reason.toString(), at: Date.now() });
    });
  });
  // A refused upgrade or a reset arrives as 'error' before 'close'; the close code tells the rest.
  ws.on('error', () => {});
  ws.once('open', () =>
    ws.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })),
  );
  ws.on('message', (data) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'connection_ack') acknowledge(true);
    if (message.type === 'pong') pongs.shift()?.();
    if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
    for (const listener of listeners) listener(message);
  });
  const isOpen = () => ws.readyState === WebSocket.OPEN;
  return {
    acknowledged,
    closed,
    isOpen,
    onMessage: (listener) => listeners.push(listener),
    send(message) {
      if (isOpen()) ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    ping() {
      if (!isOpen()) return Promise.resolve();
      return new Promise((resolve) => {
        pongs.push(resolve);
        ws.send(JSON.stringify({ type: 'ping' }));
      });
    },
    close() {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'done');
      const cut = setTimeout(() => ws.terminate(), 2_000);
      return closed.finally(() => clearTimeout(cut));
    },
  };
}
