import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SpanKind, trace } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { traceCarrier } from '@platform/telemetry';
import { recordingTracer, type RecordingTracer } from '@platform/testing';
import { createEvent, toKafkaMessage } from './envelope.js';
import { eventTraceContext, inProcessSpan, inProcessSpans, traceSends } from './trace-context.js';

const projectCreated = () =>
  createEvent('project.created', {
    actor: { userId: 'u1' },
    subject: { type: 'Project', id: 'p1' },
    data: { name: 'Apollo', ownerId: 'u1', memberIds: ['u1'] },
  });

/** The message as kafkajs hands it to a consumer: header values as Buffers. */
function consumed(headers: Record<string, string>, offset = '7'): KafkaMessage {
  return {
    key: Buffer.from('p1'),
    value: Buffer.from('{}'),
    timestamp: '0',
    attributes: 0,
    offset,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, Buffer.from(value)]),
    ),
  } as KafkaMessage;
}

describe('trace context across Kafka', () => {
  let tracer: RecordingTracer;
  beforeAll(() => {
    tracer = recordingTracer();
  });
  afterAll(() => tracer.stop());

  /** A request's span and the carrier its outbox row stores, as a subgraph records an event. */
  function recordedInARequest() {
    return trace.getTracer('test').startActiveSpan('request', (request) => {
      const carrier = traceCarrier();
      request.end();
      return { request: request.spanContext(), carrier };
    });
  }

  it('sends each event in a span of the request that recorded it and puts that span in the headers', () => {
    const { request, carrier } = recordedInARequest();
    const event = projectCreated();
    const outgoing = { event, traceContext: carrier, ...toKafkaMessage(event) };
    traceSends([outgoing]).end();

    const send = tracer.spans().find((span) => span.name === `send ${outgoing.topic}`)!;
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.spanContext().traceId).toBe(request.traceId);
    expect(send.parentSpanContext?.spanId).toBe(request.spanId);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': outgoing.topic,
      'messaging.message.id': event.id,
    });
    expect(outgoing.message.headers.traceparent).toBe(
      `00-${request.traceId}-${send.spanContext().spanId}-01`,
    );
    expect(outgoing.message.headers['event-id']).toBe(event.id);
  });

  it('handles a consumed message in a process span that continues the producer trace', async () => {
    const { carrier } = recordedInARequest();
    const event = projectCreated();
    const outgoing = { event, traceContext: carrier, ...toKafkaMessage(event) };
    traceSends([outgoing]).end();
    const sent = outgoing.message.headers.traceparent!.split('-');

    const seenInHandler = await inProcessSpan(
      {
        topic: outgoing.topic,
        partition: 0,
        groupId: 'g1',
        message: consumed(outgoing.message.headers),
      },
      async () => trace.getActiveSpan()!.spanContext(),
    );
    const processSpan = tracer
      .spans()
      .find((span) => span.spanContext().spanId === seenInHandler.spanId)!;
    expect(processSpan.name).toBe(`process ${outgoing.topic}`);
    expect(processSpan.kind).toBe(SpanKind.CONSUMER);
    expect(seenInHandler.traceId).toBe(sent[1]);
    expect(processSpan.parentSpanContext?.spanId).toBe(sent[2]);
    expect(processSpan.attributes).toMatchObject({
      'messaging.consumer.group.name': 'g1',
      'messaging.kafka.offset': 7,
      'messaging.message.id': event.id,
    });
  });

  it('gives a batch handler each event’s own trace context, and only while it runs', async () => {
    const traces = [recordedInARequest(), recordedInARequest()];
    const events = [projectCreated(), projectCreated()];
    const messages = events.map((event, index) => {
      const outgoing = { event, traceContext: traces[index]!.carrier, ...toKafkaMessage(event) };
      traceSends([outgoing]).end();
      return consumed(outgoing.message.headers, String(index));
    });

    const during = await inProcessSpans('platform.project.events', 0, 'g1', messages, async () =>
      events.map((event) => trace.getSpanContext(eventTraceContext(event.id)!)!.traceId),
    );
    expect(during).toEqual(traces.map(({ request }) => request.traceId));
    expect(eventTraceContext(events[0]!.id)).toBeUndefined();
    // The handler itself ran in a batch span linked to both messages' spans.
    const batch = tracer
      .spans()
      .find((span) => span.attributes['messaging.batch.message_count'] === 2)!;
    expect(batch.links.map((link) => link.context.traceId).sort()).toEqual(
      traces.map(({ request }) => request.traceId).sort(),
    );
  });

  it('starts a trace of its own for an event recorded outside any trace', () => {
    const event = projectCreated();
    const outgoing = { event, ...toKafkaMessage(event) };
    traceSends([outgoing]).end();
    const send = tracer.spans().at(-1)!;
    expect(send.parentSpanContext).toBeUndefined();
    expect(outgoing.message.headers.traceparent).toBe(
      `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
    );
  });
});
