import type { Consumer } from 'kafkajs';
import {
  createKafka,
  decodeEvent,
  ensureEventTopics,
  InvalidEventError,
  topicFor,
  type AnyEventEnvelope,
} from '@platform/events';
import { createLogger } from '@platform/logger';
import { eventually, stackEndpoints, uniqueName } from '@platform/testing';

/** One message the subgraph published, as Kafka delivered it. */
export interface ReceivedEvent {
  topic: string;
  key: string | null;
  event: AnyEventEnvelope;
}

/** Reads the project and document topics, keeping the valid events whose actor is watched. */
export interface EventListener {
  /** Everything received about one aggregate, in delivery order. */
  about(subjectId: string): ReceivedEvent[];
  /** Waits until `ready` accepts what was received about `subjectId`. */
  waitFor(subjectId: string, ready: (events: ReceivedEvent[]) => boolean): Promise<ReceivedEvent[]>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 20_000;

/** A consumer group of its own, reading from the beginning so nothing published is missed. */
export async function listenToEvents(actorIds: ReadonlySet<string>): Promise<EventListener> {
  const logger = createLogger('data-events-test', { level: 'silent' });
  const kafka = createKafka('data-events-test', stackEndpoints().kafka.brokers, logger);
  await ensureEventTopics(kafka);
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('data-events-test') });
  await consumer.connect();
  const received: ReceivedEvent[] = [];
  try {
    await consumer.subscribe({
      topics: [topicFor('project'), topicFor('document')],
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        let event: AnyEventEnvelope;
        try {
          event = decodeEvent(message.value);
        } catch (error) {
          if (error instanceof InvalidEventError) return; // other tests' poison messages
          throw error;
        }
        if (event.actor && actorIds.has(event.actor.userId)) {
          received.push({ topic, key: message.key?.toString() ?? null, event });
        }
      },
    });
  } catch (error) {
    await consumer.disconnect();
    throw error;
  }

  const about = (subjectId: string) =>
    received.filter(({ event }) => event.subject.id === subjectId);
  return {
    about,
    waitFor: (subjectId, ready) =>
      eventually(
        () => {
          const events = about(subjectId);
          if (ready(events)) return events;
          throw new Error(
            `timed out waiting for events about ${subjectId}; got ${JSON.stringify(events)}`,
          );
        },
        { timeoutMs: TIMEOUT_MS, intervalMs: 50 },
      ),
    close: () => consumer.disconnect(),
  };
}
