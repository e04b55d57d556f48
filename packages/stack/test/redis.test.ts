import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { stackEndpoints, uniqueName } from '@platform/testing';

describe('stack Redis', () => {
  const url = stackEndpoints().redis.url;
  const redis = new Redis(url);
  const subscriber = new Redis(url);

  afterAll(() => {
    redis.disconnect();
    subscriber.disconnect();
  });

  it('stores and reads a value', async () => {
    const key = uniqueName('smoke');
    await redis.set(key, 'value', 'EX', 60);
    expect(await redis.get(key)).toBe('value');
  });

  it('runs a Lua script atomically', async () => {
    const key = uniqueName('smoke');
    const script = "return redis.call('INCRBY', KEYS[1], ARGV[1]) * 2";
    expect(await redis.eval(script, 1, key, 21)).toBe(42);
  });

  it('delivers a published message to a subscriber', async () => {
    const channel = uniqueName('smoke');
    const received = new Promise<string>((resolve) =>
      subscriber.on('message', (from, message) => from === channel && resolve(message)),
    );
    await subscriber.subscribe(channel);
    expect(await redis.publish(channel, 'hello')).toBe(1);
    expect(await received).toBe('hello');
  });
});
