import { describe, expect, it } from '@jest/globals';
import {
  createEvent,
  decodeEvent,
  InvalidEventError,
  parseEvent,
  toKafkaMessage,
} from './index.js';

const documentUpdated = () =>
  createEvent('document.updated', {
    actor: { userId: 'u1' },
    subject: { type: 'Document', id: 'd1' },
    data: {
      projectId: 'p1',
      title: 'Plan',
      version: 2,
      changedFields: ['title'],
      memberIds: ['u1', 'u2'],
    },
  });

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidEventError) return error.reason;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

describe('event envelope', () => {
  it('round-trips an event through its Kafka message, keyed by the aggregate id', () => {
    const event = documentUpdated();
    const { topic, message } = toKafkaMessage(event);
    expect(topic).toBe('platform.document.events');
    expect(message.key).toBe('d1');
    expect(decodeEvent(Buffer.from(message.value))).toEqual(event);
  });

  it('rejects a message that is not JSON', () => {
    expect(reason(() => decodeEvent(Buffer.from('{oops')))).toBe('message is not JSON');
  });

  it('rejects an unknown event type', () => {
    expect(reason(() => parseEvent({ ...documentUpdated(), type: 'document.exploded' }))).toMatch(
      /unknown event type 'document.exploded'/,
    );
  });

  it('rejects data that does not match the type', () => {
    const event = { ...documentUpdated(), data: { projectId: 'p1' } };
    expect(reason(() => parseEvent(event))).toMatch(/bad data for 'document.updated'/);
  });

  it('rejects an unsupported schema version', () => {
    expect(reason(() => parseEvent({ ...documentUpdated(), schemaVersion: 99 }))).toMatch(
      /unsupported schemaVersion 99/,
    );
  });

  it('refuses to create an event whose data breaks its schema', () => {
    expect(() =>
      createEvent('project.created', {
        actor: null,
        subject: { type: 'Project', id: 'p1' },
        // @ts-expect-error memberIds is required
        data: { name: 'x', ownerId: 'u1' },
      }),
    ).toThrow(InvalidEventError);
  });
});
