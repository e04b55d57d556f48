import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@platform/logger';
import type { KafkaSecurity } from './kafka-connection.js';
// Fixes kafkajs's idle timer loop before any client exists (see the file).
import './kafkajs-idle-timer.js';

/**
 * A kafkajs client whose own logs go to the process's pino logger (warnings and errors only),
 * speaking TLS and SASL as `security` (`kafkaSecurity(config)`) says; every service makes its
 * Kafka clients here.
 */
export function createKafka(
  clientId: string,
  brokers: string[],
  logger: Logger,
  security: KafkaSecurity = {},
): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: security.clientId ?? clientId,
    brokers,
    ssl: security.ssl,
    sasl: security.sasl,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        if (level === logLevel.ERROR) kafkaLogger.error(extra, message);
        else kafkaLogger.warn(extra, message);
      },
    retry: { initialRetryTime: 200, retries: 5 },
  });
}
