import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { eventCatalog, type Aggregate, type EventData, type EventType } from './catalog.js';
import { topicFor } from './topics.js';

export const CURRENT_SCHEMA_VERSION = 1;

const envelopeShape = z.object({
  id: z.uuid(),
  type: z.string(),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  actor: z.object({ userId: z.string() }).nullable(),
  subject: z.object({ type: z.string().min(1), id: z.string().min(1) }),
  data: z.unknown(),
});

/** The versioned envelope every event travels in. */
export interface EventEnvelope<Type extends EventType = EventType> {
  id: string;
  type: Type;
  schemaVersion: number;
  occurredAt: string;
  actor: { userId: string } | null;
  subject: { type: string; id: string };
  data: EventData<Type>;
}

export type AnyEventEnvelope = { [Type in EventType]: EventEnvelope<Type> }[EventType];

export function createEvent<Type extends EventType>(
  type: Type,
  init: {
    actor: { userId: string } | null;
    subject: { type: string; id: string };
    data: EventData<Type>;
    occurredAt?: Date;
  },
): EventEnvelope<Type> {
  const envelope: EventEnvelope<Type> = {
    id: randomUUID(),
    type,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    occurredAt: (init.occurredAt ?? new Date()).toISOString(),
    actor: init.actor,
    subject: init.subject,
    data: init.data,
  };
  return parseEvent(envelope) as EventEnvelope<Type>;
}

export class InvalidEventError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidEventError';
  }
}

/** Validates an envelope and its data against the catalog; throws InvalidEventError with why. */
export function parseEvent(value: unknown): AnyEventEnvelope {
  const envelope = envelopeShape.safeParse(value);
  if (!envelope.success) {
    throw new InvalidEventError(`bad envelope: ${z.prettifyError(envelope.error)}`);
  }
  const { type, schemaVersion } = envelope.data;
  if (!(type in eventCatalog)) throw new InvalidEventError(`unknown event type '${type}'`);
  if (schemaVersion !== CURRENT_SCHEMA_VERSION) {
    throw new InvalidEventError(`unsupported schemaVersion ${schemaVersion} for '${type}'`);
  }
  const data = eventCatalog[type as EventType].data.safeParse(envelope.data.data);
  if (!data.success) {
    throw new InvalidEventError(`bad data for '${type}': ${z.prettifyError(data.error)}`);
  }
  return { ...envelope.data, data: data.data } as AnyEventEnvelope;
}

export function decodeEvent(bytes: Buffer | null): AnyEventEnvelope {
  if (!bytes) throw new InvalidEventError('empty message');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new InvalidEventError('message is not JSON');
  }
  return parseEvent(value);
}

export function aggregateOf(envelope: AnyEventEnvelope): Aggregate {
  return eventCatalog[envelope.type].aggregate;
}

/**
 * The Kafka message for an event: its aggregate's topic, keyed by the aggregate id. The relay adds
 * the trace context to its headers (trace-context.ts).
 */
export function toKafkaMessage(envelope: AnyEventEnvelope) {
  const headers: Record<string, string> = { 'event-id': envelope.id, 'event-type': envelope.type };
  return {
    topic: topicFor(aggregateOf(envelope)),
    message: { key: envelope.subject.id, value: JSON.stringify(envelope), headers },
  };
}
