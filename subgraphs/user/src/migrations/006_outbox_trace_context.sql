-- The trace context (W3C `traceparent`, `tracestate`) of the request that recorded each event, so
-- the relay's Kafka message continues that request's trace (@platform/events trace-context.ts).
-- NULL when tracing was off or there was no trace.
ALTER TABLE outbox ADD COLUMN trace_context jsonb;
