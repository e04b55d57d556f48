import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@platform/testing';
import { notificationRedis, within, type NotificationRedis } from './subscription-clients.js';
import { bearer, startTestPlatform, type TestPlatform } from './test-platform.js';

let platform: TestPlatform;
let redis: NotificationRedis;

beforeAll(async () => {
  platform = await startTestPlatform();
  redis = notificationRedis();
});

afterAll(async () => {
  await platform.stop();
  await redis.close();
});

const ACCEPT = {
  sse: 'text/event-stream',
  multipart: 'multipart/mixed;subscriptionSpec=1.0, application/json',
} as const;

/** An HTTP subscription whose response the test reads, pauses and resumes by hand. */
function streamRequest(
  url: string,
  accept: string,
  headers: Record<string, string>,
  body: object = { query: 'subscription { notificationAdded { id message } }' },
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...headers },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe.each(['sse', 'multipart'] as const)('a %s client that stops reading', (transport) => {
  it('has its stream ended like a slow socket, its subscription and channel released', async () => {
    const slow = await platform.startAnotherGateway({
      gatewayConfig: { SUBSCRIPTION_BUFFER_LIMIT: 2 },
    });
    const user = `subscriber-${randomUUID()}`;
    const res = await streamRequest(slow.url, ACCEPT[transport], await bearer(user));
    expect(res.statusCode).toBe(200);
    await redis.waitForSubscribers(user, 1);

    res.pause();
    // Large notifications fill the operating system's buffers, then the gateway's.
    const big = 'x'.repeat(512 * 1024);
    for (let sent = 0; sent < 200 && (await redis.subscribers(user)) > 0; sent += 1) {
      await redis.publish(user, platform.notifications.add(user, big));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await redis.waitForSubscribers(user, 0, 30_000);
    expect(slow.subscriptions.activeCount()).toBe(0);

    // The gateway let go of the response: reading what is left reaches its end.
    const ended = new Promise<void>((resolve) => {
      res.on('close', resolve);
      res.on('end', resolve);
    });
    res.resume();
    await within(ended, 'the response to end');
  }, 60_000);
});

describe('an HTTP subscription the client abandons', () => {
  it('ends at once, releasing its channel', async () => {
    const user = `subscriber-${randomUUID()}`;
    const res = await streamRequest(platform.gateway.url, ACCEPT.sse, await bearer(user));
    await redis.waitForSubscribers(user, 1);
    res.destroy();
    await redis.waitForSubscribers(user, 0);
    await eventually(() => (platform.gateway.subscriptions.activeCount() === 0 ? true : undefined));
  });
});

type Delivered = { data?: { notificationAdded: { id: string; cursor: string } }; errors?: unknown };

/**
 * The results an SSE (`event: next`) or multipart (`{"payload": ...}`) stream carried so far, read
 * by hand from the response text.
 */
function resultsOf(transport: 'sse' | 'multipart', text: string): Delivered[] {
  if (transport === 'sse') {
    return text
      .split('\n\n')
      .filter((event) => event.startsWith('event: next\n'))
      .map((event) => JSON.parse(event.slice('event: next\ndata: '.length)) as Delivered);
  }
  return text
    .split('\r\n--graphql')
    .map((part) => part.split('\r\n\r\n')[1])
    .filter((json): json is string => json !== undefined)
    .map((json) => JSON.parse(json) as { payload?: Delivered })
    .flatMap((part) => (part.payload ? [part.payload] : []));
}

describe.each(['sse', 'multipart'] as const)('notificationAdded over %s', (transport) => {
  it('delivers a published notification with its cursor, then replays what came after `since`', async () => {
    const user = `subscriber-${randomUUID()}`;
    const query =
      'subscription ($since: String) { notificationAdded(since: $since) { id cursor } }';
    const read = async (since?: string) => {
      const res = await streamRequest(platform.gateway.url, ACCEPT[transport], await bearer(user), {
        query,
        variables: { since },
      });
      expect(res.statusCode).toBe(200);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      return { res, results: () => resultsOf(transport, text) };
    };

    const live = await read();
    await redis.waitForSubscribers(user, 1);
    const first = platform.notifications.add(user, 'first');
    await redis.publish(user, first);
    await eventually(() => (live.results().length > 0 ? true : undefined));
    expect(live.results()).toEqual([
      {
        data: { notificationAdded: { id: first.id, cursor: first.cursor } },
        extensions: { cursor: first.cursor },
      },
    ]);
    live.res.destroy();
    await redis.waitForSubscribers(user, 0);

    // Stored while no stream was open: resuming from the first cursor replays it, and only it.
    const missed = platform.notifications.add(user, 'missed');
    const resumed = await read(first.cursor);
    await eventually(() => (resumed.results().length > 0 ? true : undefined));
    expect(resumed.results()).toEqual([
      {
        data: { notificationAdded: { id: missed.id, cursor: missed.cursor } },
        extensions: { cursor: missed.cursor },
      },
    ]);
    resumed.res.destroy();
  });
});
