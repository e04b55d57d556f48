import { randomUUID } from 'node:crypto';
import type { Kafka, Message, Producer } from 'kafkajs';
import {
  createEvent,
  createKafka,
  toKafkaMessage,
  type AnyEventEnvelope,
  type EventData,
} from '@platform/events';
import { stackEndpoints } from '@platform/testing';
import { testLogger } from './harness.js';

export const testKafka = (): Kafka =>
  createKafka('analytics-test', stackEndpoints().kafka.brokers, testLogger);

const minutes = (count: number) => count * 60_000;

/** An instant `ms` milliseconds before now. */
export const ago = (ms: number) => new Date(Date.now() - ms);
export const minutesAgo = (count: number) => ago(minutes(count));
export const hoursAgo = (count: number) => ago(minutes(60 * count));
export const daysAgo = (count: number) => ago(minutes(60 * 24 * count));

/**
 * A minute no other test run is likely to use (10:30 UTC on a random day between the years 1100
 * and 1900), so the buckets around it hold only this test's events although the topics are
 * shared by every test and every run, and no "last N days" range reaches it.
 */
export function unusedMinute(): Date {
  const start = Date.UTC(1100, 0, 1);
  const end = Date.UTC(1900, 0, 1);
  const day = Math.floor((start + Math.random() * (end - start)) / 86_400_000) * 86_400_000;
  return new Date(day + minutes(10 * 60 + 30));
}

interface DocumentEventInit {
  projectId: string;
  actorId: string;
  documentId?: string;
  memberIds?: string[];
  at?: Date;
}

export const documentCreated = ({
  projectId,
  actorId,
  documentId,
  memberIds,
  at,
}: DocumentEventInit) =>
  createEvent('document.created', {
    actor: { userId: actorId },
    subject: { type: 'Document', id: documentId ?? randomUUID() },
    data: { projectId, title: 'Plan', version: 1, memberIds: memberIds ?? [actorId] },
    occurredAt: at,
  });

export const documentUpdated = ({
  projectId,
  actorId,
  documentId,
  memberIds,
  at,
}: DocumentEventInit) =>
  createEvent('document.updated', {
    actor: { userId: actorId },
    subject: { type: 'Document', id: documentId ?? randomUUID() },
    data: {
      projectId,
      title: 'Plan',
      version: 2,
      changedFields: ['body'],
      memberIds: memberIds ?? [actorId],
    },
    occurredAt: at,
  });

export const documentDeleted = ({
  projectId,
  actorId,
  documentId,
  memberIds,
  at,
}: DocumentEventInit) =>
  createEvent('document.deleted', {
    actor: { userId: actorId },
    subject: { type: 'Document', id: documentId ?? randomUUID() },
    data: { projectId, title: 'Plan', memberIds: memberIds ?? [actorId] },
    occurredAt: at,
  });

export const projectCreated = (init: {
  projectId: string;
  ownerId: string;
  memberIds?: string[];
  at?: Date;
}) =>
  createEvent('project.created', {
    actor: { userId: init.ownerId },
    subject: { type: 'Project', id: init.projectId },
    data: { name: 'Roadmap', ownerId: init.ownerId, memberIds: init.memberIds ?? [init.ownerId] },
    occurredAt: init.at,
  });

export const memberAdded = (init: {
  projectId: string;
  actorId: string;
  userId: string;
  memberIds: EventData<'project.member_added'>['memberIds'];
  at?: Date;
}) =>
  createEvent('project.member_added', {
    actor: { userId: init.actorId },
    subject: { type: 'Project', id: init.projectId },
    data: { name: 'Roadmap', userId: init.userId, memberIds: init.memberIds },
    occurredAt: init.at,
  });

/** Produces events (and raw messages) to the real topics, as the data and user subgraphs do. */
export interface Publisher {
  /** Sends the events one after the other, each acknowledged by every replica (acks -1). */
  publish(...events: AnyEventEnvelope[]): Promise<void>;
  publishRaw(topic: string, ...messages: Message[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startPublisher(kafka: Kafka): Promise<Publisher> {
  const producer: Producer = kafka.producer();
  await producer.connect();
  return {
    async publish(...events) {
      for (const event of events) {
        const { topic, message } = toKafkaMessage(event);
        await producer.send({ topic, acks: -1, messages: [message] });
      }
    },
    async publishRaw(topic, ...messages) {
      await producer.send({ topic, acks: -1, messages });
    },
    stop: () => producer.disconnect(),
  };
}
