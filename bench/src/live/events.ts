import { setTimeout as sleep } from 'node:timers/promises';
import { stackEndpoints } from '@platform/config';
import { createEvent, createKafka, ensureEventTopics, toKafkaMessage } from '@platform/events';
import { createLogger } from '@platform/logger';
import type { LiveWorld } from './world.js';

/** The producer sends what is due every this many ms. */
const TICK_MS = 10;

export interface CausedEvents {
  /** Epoch ms of each event's `occurredAt`, per recipient in the order of `world.recipients`. */
  causedAt: number[][];
  sent: number;
  /** Events sent per second over the window: below the rate asked, the producer was the limit. */
  achievedRate: number;
  /** Longest the producer was behind its schedule, ms. */
  maxLagMs: number;
}

/**
 * Causes `rate` notifications per second for `seconds`: each a `document.updated` event in the
 * project's own format (createEvent, toKafkaMessage) by the world's actor about one recipient's
 * document, with only the actor and that recipient as members, so exactly one notification.
 * Recipients take turns, so each socket gets rate / sockets per second.
 */
export async function causeNotifications(
  world: LiveWorld,
  options: { rate: number; seconds: number },
): Promise<CausedEvents> {
  const logger = createLogger('bench-live-producer', { level: 'error' });
  const kafka = createKafka('bench-live', stackEndpoints().kafka.brokers, logger);
  await ensureEventTopics(kafka);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const { recipients, actorId } = world;
  const causedAt: number[][] = recipients.map(() => []);
  const total = Math.round(options.rate * options.seconds);
  let sent = 0;
  let maxLagMs = 0;
  const versions = recipients.map(() => 1);
  const startedAt = Date.now();
  try {
    while (sent < total) {
      const elapsed = Date.now() - startedAt;
      const due = Math.min(total, Math.floor((elapsed / 1000) * options.rate));
      maxLagMs = Math.max(maxLagMs, elapsed - (sent / options.rate) * 1000 - TICK_MS);
      if (due > sent) {
        const byTopic = new Map<string, Array<ReturnType<typeof toKafkaMessage>['message']>>();
        for (let index = sent; index < due; index++) {
          const slot = index % recipients.length;
          const recipient = recipients[slot]!;
          const occurredAt = new Date();
          versions[slot]! += 1;
          const event = createEvent('document.updated', {
            actor: { userId: actorId },
            subject: { type: 'Document', id: recipient.documentId },
            occurredAt,
            data: {
              projectId: recipient.projectId,
              title: `Notes of ${recipient.userId.slice(0, 8)}`,
              version: versions[slot]!,
              changedFields: ['body'],
              memberIds: [actorId, recipient.userId],
            },
          });
          const { topic, message } = toKafkaMessage(event);
          const batch = byTopic.get(topic) ?? [];
          batch.push(message);
          byTopic.set(topic, batch);
          causedAt[slot]!.push(occurredAt.getTime());
        }
        await producer.sendBatch({
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
        sent = due;
      }
      await sleep(TICK_MS);
    }
  } finally {
    await producer.disconnect();
  }
  const windowSeconds = (Date.now() - startedAt) / 1000;
  return {
    causedAt,
    sent,
    achievedRate: sent / Math.max(windowSeconds, options.seconds),
    maxLagMs: Math.max(0, Math.round(maxLagMs)),
  };
}
