/**
 * Clients for subscription tests: graphql-ws clients (as apps use them), a raw graphql-transport-ws
 * socket for a client that stops reading, and a Redis connection that publishes notification
 * messages the way the notification subgraph does and reads who is subscribed.
 */
import type { Socket } from 'node:net';
import { expect } from '@jest/globals';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { stackEndpoints } from '@platform/config';
import { encodeNotificationMessage, notificationChannel } from '@platform/realtime';
import { eventually } from '@platform/testing';
import type { RunningGateway } from '../src/index.js';

/** `ws://host:port/graphql`: the same server and path as HTTP. */
export const wsUrl = (gateway: RunningGateway) => gateway.url.replace(/^http/, 'ws');

/** What a graphql-ws client is sent for one notification. */
export type SubscriptionResult = FormattedExecutionResult<Record<string, unknown>, unknown>;

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface TestSubscription {
  results: SubscriptionResult[];
  /** Waits (bounded) until `count` results have arrived; returns all of them. */
  waitForResults(count: number): Promise<SubscriptionResult[]>;
  /** Waits (bounded) for the subscription to fail: GraphQL errors, or the socket's close. */
  waitForError(): Promise<unknown>;
  unsubscribe(): void;
}

export interface TestClient {
  client: Client;
  subscribe(query: string, variables?: Record<string, unknown>): TestSubscription;
  dispose(): Promise<void>;
}

/** A graphql-ws client that never retries, so a refused connection surfaces as its close. */
export function connectClient(
  gateway: RunningGateway,
  connectionParams: Record<string, unknown> = {},
): TestClient {
  const client = createClient({
    url: wsUrl(gateway),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
  return {
    client,
    subscribe(query, variables) {
      const results: SubscriptionResult[] = [];
      const failures: unknown[] = [];
      const unsubscribe = client.subscribe(
        { query, variables },
        {
          next: (result) => results.push(result),
          error: (error) => failures.push(error),
          complete: () => {},
        },
      );
      return {
        results,
        waitForResults: (count) =>
          eventually(async () => {
            expect(failures).toEqual([]);
            expect(results.length).toBeGreaterThanOrEqual(count);
            return results;
          }),
        waitForError: () =>
          eventually(async () => {
            expect(failures.length).toBeGreaterThan(0);
            return failures[0];
          }),
        unsubscribe,
      };
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}

/** The code and reason a refused graphql-ws connection was closed with. */
export async function closeOfConnection(
  gateway: RunningGateway,
  connectionParams: Record<string, unknown>,
): Promise<CloseInfo> {
  const connection = connectClient(gateway, connectionParams);
  try {
    const error = (await connection
      .subscribe('subscription { notificationAdded { id } }')
      .waitForError()) as CloseInfo;
    return { code: error.code, reason: error.reason };
  } finally {
    await connection.dispose();
  }
}

/** A graphql-transport-ws socket driven by hand, for a client that stops reading. */
export interface RawSocket {
  socket: WebSocket;
  messages: { type: string; id?: string; payload?: unknown }[];
  closed: Promise<CloseInfo>;
  send(message: object): void;
}

export async function openRawSocket(
  gateway: RunningGateway,
  connectionParams: Record<string, unknown>,
): Promise<RawSocket> {
  const socket = new WebSocket(wsUrl(gateway), 'graphql-transport-ws');
  const messages: RawSocket['messages'] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  const closed = new Promise<CloseInfo>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const raw: RawSocket = {
    socket,
    messages,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
  };
  raw.send({ type: 'connection_init', payload: connectionParams });
  await eventually(async () => {
    expect(messages.map((message) => message.type)).toContain('connection_ack');
    return messages;
  });
  return raw;
}

/** Waits for at most `timeoutMs` for a promise; then fails naming what it waited for. */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Publishes like the notification subgraph and reads Redis's view of the channels. */
export interface NotificationRedis {
  publish(recipientId: string, row: { id: string; cursor: string }): Promise<void>;
  publishRaw(recipientId: string, raw: string): Promise<void>;
  /** How many connections (gateway processes) are subscribed to the recipient's channel. */
  subscribers(recipientId: string): Promise<number>;
  waitForSubscribers(recipientId: string, count: number, timeoutMs?: number): Promise<void>;
  /** Drops every gateway's subscriber connection, as a Redis restart or a network cut would. */
  killGatewaySubscribers(): Promise<number>;
  close(): Promise<void>;
}

export function notificationRedis(): NotificationRedis {
  const redis = new Redis(stackEndpoints().redis.url);
  const subscribers = async (recipientId: string) => {
    const [, count] = (await redis.pubsub('NUMSUB', notificationChannel(recipientId))) as [
      string,
      number,
    ];
    return count;
  };
  return {
    publish: async (recipientId, row) => {
      await redis.publish(
        notificationChannel(recipientId),
        encodeNotificationMessage({ notificationId: row.id, cursor: row.cursor }),
      );
    },
    publishRaw: async (recipientId, raw) => {
      await redis.publish(notificationChannel(recipientId), raw);
    },
    subscribers,
    waitForSubscribers: async (recipientId, count, timeoutMs) => {
      await eventually(
        async () => {
          expect(await subscribers(recipientId)).toBe(count);
          return true;
        },
        { timeoutMs },
      );
    },
    killGatewaySubscribers: async () => {
      const clients = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
      const ids = clients
        .split('\n')
        .filter((line) => / name=gateway-subscriber /.test(line))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
      for (const id of ids) await redis.call('CLIENT', 'KILL', 'ID', id);
      return ids.length;
    },
    close: async () => {
      await redis.quit();
    },
  };
}

/**
 * The TCP socket under a `ws` client. ws keeps it in an undocumented field; pausing it is how a
 * test makes a client stop reading, like a phone on a stalled network.
 */
export function tcpSocketOf(socket: WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}
