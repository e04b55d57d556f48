import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { traceFields } from './trace-fields.js';

export type { Logger } from 'pino';

/** Header that carries a request id from the gateway to every subgraph. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The one logger factory of every process: JSON lines on stdout, the service name on each line
 * (and the pid in a node:cluster worker, whose lines share the primary's stdout), and child
 * loggers carry `requestId` so one request can be followed across processes; `trace_id` and
 * `span_id` of the active span (trace-fields.ts) lead from a line to its trace.
 */
export function createLogger(service: string, options: LoggerOptions = {}): Logger {
  return pino({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: cluster.isWorker ? { service, pid: process.pid } : { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: traceFields,
    ...options,
  });
}

/** A child logger for one request; reuses an incoming id or makes one. */
export function requestLogger(logger: Logger, incomingRequestId?: string | null): Logger {
  return logger.child({ requestId: incomingRequestId || randomUUID() });
}
