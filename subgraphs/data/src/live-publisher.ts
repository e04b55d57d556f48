import type { RedisConnection } from '@platform/redis';
import type { Logger } from '@platform/logger';
import { documentChannel, encodeLiveMessage } from '@platform/realtime';
import { traceCarrier } from '@platform/telemetry';
import { changeCursor } from './domain/change-cursor.js';
import type { DocumentRecord } from './repositories/index.js';

/**
 * Tells the gateways that a project's document changed (`documentChanged`, see @platform/realtime:
 * ids only, resolved through the supergraph as each subscriber). Published right after the write
 * rather than from the outbox through Kafka: the store is what subscribers read, and what a lost
 * publish (Redis away, a crash before it) withholds, `documentChangesSince` replays to a client
 * that resumes with its last cursor, and the gateway replays after a Redis outage. It never fails
 * or delays the mutation. The message carries the mutation's trace context: the gateway's
 * delivery of it is a span of the same trace.
 */
export function documentChangePublisher(redis: RedisConnection, logger: Logger) {
  return (document: DocumentRecord): void => {
    const message = encodeLiveMessage({
      id: document._id,
      cursor: changeCursor(document),
      occurredAt: document.updatedAt.toISOString(),
      traceContext: traceCarrier(),
    });
    redis.publish(documentChannel(document.projectId), message).catch((error: unknown) => {
      logger.warn(
        { err: error, documentId: document._id },
        'publishing a document change failed; subscribers catch up with since',
      );
    });
  };
}
