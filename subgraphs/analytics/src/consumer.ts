import type { Kafka } from 'kafkajs';
import type pg from 'pg';
import {
  ALL_EVENT_TOPICS,
  startEventConsumer,
  type ConsumerTiming,
  type EventConsumer,
} from '@platform/events';
import type { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { recordEvent } from './domain/record-event.js';
import type { AnalyticsMetrics } from './metrics.js';

export interface AnalyticsConsumerOptions {
  kafka: Kafka;
  groupId: string;
  pool: pg.Pool;
  logger: Logger;
  metrics: Pick<AnalyticsMetrics, 'eventsProcessed'>;
  timing?: ConsumerTiming;
  /** The subgraph's registry: the group's lag and dead letters. */
  registry?: Registry;
}

/**
 * Reads every event topic in the analytics consumer group and rolls each event up. The offset
 * of a message is committed only after its rollups are committed; invalid messages go to the
 * dead-letter topic (startEventConsumer).
 */
export function startAnalyticsConsumer(options: AnalyticsConsumerOptions): Promise<EventConsumer> {
  const { kafka, groupId, pool, logger, metrics, timing, registry } = options;
  const log = logger.child({ component: 'analytics-consumer', groupId });
  return startEventConsumer({
    kafka,
    groupId,
    logger: log,
    topics: ALL_EVENT_TOPICS,
    timing,
    metrics: registry,
    handle: async (event) => {
      const outcome = await recordEvent(pool, event);
      metrics.eventsProcessed.inc({ outcome });
      log.debug({ eventId: event.id, type: event.type, outcome }, 'event rolled up');
    },
  });
}
