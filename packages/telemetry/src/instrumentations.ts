import type { IncomingMessage } from 'node:http';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Probes and scrapes: polled every few seconds, a trace each would bury the real ones. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\/|\?|$))/;

/**
 * What is traced automatically in every service:
 * - http: every incoming request (a subgraph continues the gateway's trace from `traceparent`)
 *   and outgoing node:http request;
 * - undici: the gateway's subgraph fetches (undici `request`) and global `fetch` (API key
 *   verification), each injecting `traceparent`;
 * - pg, mongodb, ioredis: store calls, only inside a trace (`requireParentSpan`), so the outbox
 *   relays' polls and the consumers' idle loops do not each start one.
 * Kafka is traced by @platform/events itself (see its trace-context.ts for why not by
 * @opentelemetry/instrumentation-kafkajs).
 */
export function platformInstrumentations(): Instrumentation[] {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) =>
        UNTRACED_PATHS.test(request.url ?? ''),
    }),
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new MongoDBInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
}
