/**
 * The SDK's tests run against the real platform, started in-process the way the e2e tests start it
 * (e2e/test/platform.ts, imported rather than copied), with a private Kafka broker so the
 * analytics and notification consumers see only this run's events.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { startPrivateKafka, type PrivateService } from '@platform/testing';
import { startTestPlatform, type TestPlatform } from '../../e2e/test/platform.js';
import { Client, type ClientOptions } from '../src/index.js';

export interface SdkPlatform {
  platform: TestPlatform;
  url: string;
  client(options?: ClientOptions, url?: string): Client;
  stop(): Promise<void>;
}

export async function startSdkPlatform(): Promise<SdkPlatform> {
  const kafka: PrivateService & { brokers: string[] } = await startPrivateKafka();
  let platform: TestPlatform;
  try {
    platform = await startTestPlatform({ events: { brokers: kafka.brokers } });
    await platform.events!.startNotificationConsumer();
    await platform.events!.startAnalyticsConsumer();
  } catch (error) {
    await kafka.dispose();
    throw error;
  }
  const clients: Client[] = [];
  return {
    platform,
    url: platform.gatewayUrl,
    client: (options = {}, url = platform.gatewayUrl) => {
      const client = new Client({ webSocketImpl: WebSocket, ...options } as ClientOptions, url);
      clients.push(client);
      return client;
    },
    stop: async () => {
      for (const client of clients) await client.close();
      await platform.stop();
      await kafka.dispose();
    },
  };
}

/**
 * A TCP proxy in front of the gateway that the test controls: `dropAll()` destroys every open
 * connection (client and gateway side), as a flaky network would.
 */
export interface DroppingProxy {
  url: string;
  connections: number;
  dropAll(): number;
  close(): Promise<void>;
}

export async function startDroppingProxy(targetUrl: string): Promise<DroppingProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const cleanup = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cleanup).on('close', cleanup);
    upstream.on('error', cleanup).on('close', cleanup);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get connections() {
      return connections;
    },
    dropAll: () => {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return count;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
