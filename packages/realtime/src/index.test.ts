import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { contextFromCarrier, traceCarrier } from '@platform/telemetry';
import { recordingTracer, type RecordingTracer } from '@platform/testing';
import {
  decodeLiveMessage,
  decodeNotificationMessage,
  encodeLiveMessage,
  encodeNotificationMessage,
  type NotificationEntity,
} from './index.js';

const notification: NotificationEntity = {
  id: '7',
  cursor: '00000000000000000007',
  kind: 'DOCUMENT_UPDATED',
  message: 'Document "Plan" was updated',
  read: false,
  createdAt: '2026-12-04T04:00:00.000Z',
  actor: { __typename: 'User', id: 'u-1' },
  subject: { __typename: 'Document', id: 'd-1' },
};

describe('the notification channel contract', () => {
  it('carries the notification to the gateway as the live message entity', () => {
    const raw = encodeNotificationMessage({
      notificationId: '7',
      cursor: notification.cursor,
      notification,
    });
    expect(decodeNotificationMessage(raw)?.notification).toEqual(notification);
    expect(decodeLiveMessage(raw)).toEqual({
      id: '7',
      cursor: notification.cursor,
      entity: notification,
    });
  });

  it('reads an ids-only message from an older publisher as before, with no entity', () => {
    const raw = JSON.stringify({ notificationId: '7', cursor: notification.cursor });
    expect(decodeLiveMessage(raw)).toEqual({ id: '7', cursor: notification.cursor });
  });

  it('drops a notification of another shape, or about another id or cursor, keeping the ids', () => {
    for (const carried of [
      { ...notification, read: 'no' },
      { ...notification, subject: { __typename: 'Comment', id: 'c-1' } },
      { ...notification, id: '8' },
      { ...notification, cursor: '00000000000000000008' },
    ]) {
      const raw = JSON.stringify({
        notificationId: '7',
        cursor: notification.cursor,
        notification: carried,
      });
      expect(decodeLiveMessage(raw)).toEqual({ id: '7', cursor: notification.cursor });
    }
  });

  it('ignores fields a newer publisher adds to the notification', () => {
    const raw = JSON.stringify({
      notificationId: '7',
      cursor: notification.cursor,
      notification: { ...notification, priority: 3 },
    });
    expect(decodeLiveMessage(raw)?.entity).toEqual(notification);
  });

  it('carries the time of the event behind a message, and drops one that is not a timestamp', () => {
    const occurredAt = '2026-12-04T03:59:59.500Z';
    const raw = JSON.stringify({ notificationId: '7', cursor: notification.cursor, occurredAt });
    expect(decodeLiveMessage(raw)?.occurredAt).toBe(occurredAt);
    expect(
      decodeLiveMessage(JSON.stringify({ id: 'd-1', cursor: '3', occurredAt }))?.occurredAt,
    ).toBe(occurredAt);
    const bad = JSON.stringify({
      notificationId: '7',
      cursor: notification.cursor,
      occurredAt: 'soon',
    });
    expect(decodeLiveMessage(bad)).toEqual({ id: '7', cursor: notification.cursor });
  });
});

describe('trace context in channel messages', () => {
  let tracer: RecordingTracer;
  beforeAll(() => {
    tracer = recordingTracer();
  });
  afterAll(() => tracer.stop());

  it('carries the publisher’s trace to the gateway, which continues it', () => {
    const { published, raw } = trace.getTracer('test').startActiveSpan('publish', (span) => {
      const encoded = encodeNotificationMessage({
        notificationId: '7',
        cursor: notification.cursor,
        notification,
        traceContext: traceCarrier(),
      });
      span.end();
      return { published: span.spanContext(), raw: encoded };
    });
    const live = decodeLiveMessage(raw)!;
    const continued = trace.getSpanContext(contextFromCarrier(live.traceContext))!;
    expect(continued.traceId).toBe(published.traceId);
    expect(continued.spanId).toBe(published.spanId);
    expect(live.entity).toEqual(notification);
  });

  it('carries it in a live field message too', () => {
    const raw = trace.getTracer('test').startActiveSpan('publish', (span) => {
      span.end();
      return encodeLiveMessage({ id: 'd-1', cursor: '3', traceContext: traceCarrier() });
    });
    expect(decodeLiveMessage(raw)?.traceContext?.traceparent).toMatch(/^00-[0-9a-f]{32}-/);
  });

  it('keeps a message whose trace context is malformed, without it', () => {
    const raw = JSON.stringify({
      notificationId: '7',
      cursor: notification.cursor,
      traceContext: 5,
    });
    expect(decodeLiveMessage(raw)).toEqual({ id: '7', cursor: notification.cursor });
  });
});
