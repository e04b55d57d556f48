import type { Message } from 'kafkajs';

/**
 * The broker refuses a record batch over its `message.max.bytes` (1,048,588 bytes by default, and
 * the stack's broker keeps the default) with MESSAGE_TOO_LARGE, and kafkajs puts every message of
 * one send for one partition into one batch. One event of a 10,000-member project is about
 * 400 KB (`memberIds`), and events about one project share a key and so a partition: three of
 * them in one send would be refused, every retry again, and the outbox would stop there. So the
 * relay sends at most this many bytes of keys and values at once; an event larger than this goes
 * alone (up to the broker's limit, about 25,000 members).
 */
export const MAX_PRODUCE_BYTES = 900 * 1024;

export interface TopicMessage {
  topic: string;
  message: Message;
}

const sizeOf = ({ message }: TopicMessage): number =>
  byteLength(message.key) + byteLength(message.value);

function byteLength(part: Message['key'] | Message['value']): number {
  if (part === null || part === undefined) return 0;
  return typeof part === 'string' ? Buffer.byteLength(part) : part.length;
}

/**
 * Splits messages, in order, into sends of at most `maxBytes` each (a message larger than that
 * alone), each grouped by topic for `producer.sendBatch`. Order within a partition is kept: sends
 * go one after another, and each keeps its messages' order.
 */
export function produceRequests(
  messages: readonly TopicMessage[],
  maxBytes = MAX_PRODUCE_BYTES,
): Array<Array<{ topic: string; messages: Message[] }>> {
  const sends: TopicMessage[][] = [];
  let current: TopicMessage[] = [];
  let bytes = 0;
  for (const entry of messages) {
    const size = sizeOf(entry);
    if (current.length > 0 && bytes + size > maxBytes) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) sends.push(current);
  return sends.map((send) => {
    const byTopic = new Map<string, Message[]>();
    for (const { topic, message } of send) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
    }
    return [...byTopic].map(([topic, grouped]) => ({ topic, messages: grouped }));
  });
}
