import { describe, expect, it } from '@jest/globals';
import { eventually } from '@platform/testing';
import { startTestSubgraph } from './harness.js';

/** Nothing listens on port 1, so a subgraph pointed there sees Kafka as down. */
const UNREACHABLE_KAFKA = '127.0.0.1:1';

describe('outbox metrics', () => {
  it('serve how many events wait in the outbox and how old the oldest is while Kafka is down', async () => {
    const offline = await startTestSubgraph({
      publishEvents: true,
      env: { KAFKA_BROKERS: UNREACHABLE_KAFKA, OUTBOX_POLL_MS: '100' },
    });
    try {
      expect(await offline.metric('events_outbox_pending_events')).toBe(0);
      expect(await offline.metric('events_outbox_oldest_age_seconds')).toBe(0);
      await offline.signUp();
      await offline.signUp();
      const { rows } = await offline.subgraph.pool.query<{ waiting: number }>(
        'SELECT count(*)::int AS waiting FROM outbox WHERE published_at IS NULL',
      );
      expect(rows[0]!.waiting).toBeGreaterThanOrEqual(2);
      expect(await offline.metric('events_outbox_pending_events')).toBe(rows[0]!.waiting);
      await eventually(
        async () =>
          (await offline.metric('events_outbox_oldest_age_seconds')) > 0 ? true : undefined,
        { what: 'the oldest event to age' },
      );
      expect(await offline.metric('events_outbox_published_total')).toBe(0);
    } finally {
      await offline.stop();
    }
  }, 60_000);
});
