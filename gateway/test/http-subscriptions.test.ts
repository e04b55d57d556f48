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
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...headers },
    });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(JSON.stringify({ query: 'subscription { notificationAdded { id message } }' }));
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
