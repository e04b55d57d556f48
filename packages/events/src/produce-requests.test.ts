import { describe, expect, it } from '@jest/globals';
import { produceRequests } from './produce-requests.js';

const message = (topic: string, key: string, bytes: number) => ({
  topic,
  message: { key, value: 'x'.repeat(bytes) },
});

describe('produceRequests', () => {
  it('keeps small messages in one send, grouped by topic in order', () => {
    const sends = produceRequests([
      message('a', 'k1', 10),
      message('b', 'k2', 10),
      message('a', 'k3', 10),
    ]);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.map(({ topic, messages }) => [topic, messages.map((m) => m.key)])).toEqual([
      ['a', ['k1', 'k3']],
      ['b', ['k2']],
    ]);
  });

  it('splits sends at the byte budget and sends a message over it alone, in order', () => {
    const sends = produceRequests(
      [
        message('a', 'p', 400),
        message('a', 'p', 400),
        message('a', 'p', 400),
        message('a', 'p', 2000),
        message('a', 'p', 10),
      ],
      1000,
    );
    expect(sends.map((send) => send[0]!.messages.map((m) => String(m.value).length))).toEqual([
      [400, 400],
      [400],
      [2000],
      [10],
    ]);
  });
});
