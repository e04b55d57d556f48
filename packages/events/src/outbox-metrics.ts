import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutboxBacklog } from './outbox-relay.js';

/** A scrape waits at most this long for the store; past it the last reading is served. */
const BACKLOG_READ_TIMEOUT_MS = 2_000;

export interface OutboxMetrics {
  /** Counts events the relay published (and marked). */
  published(count: number): void;
}

/**
 * The outbox's metrics on `registry`: its backlog and the age of its oldest unpublished event,
 * read from the store when /metrics is scraped (so they show a relay that has stopped, not only
 * one that runs), and the events published.
 */
export function registerOutboxMetrics(
  registry: Registry,
  backlog: (() => Promise<OutboxBacklog>) | undefined,
): OutboxMetrics {
  let last: OutboxBacklog = { pending: 0, oldestCreatedAt: undefined };
  let inFlight: Promise<OutboxBacklog> | undefined;
  const read = (): Promise<OutboxBacklog> => {
    if (!backlog) return Promise.resolve(last);
    inFlight ??= backlog()
      .then((reading) => (last = reading))
      .catch(() => last)
      .finally(() => (inFlight = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<OutboxBacklog>((resolve) => {
      timer = setTimeout(() => resolve(last), BACKLOG_READ_TIMEOUT_MS);
    });
    return Promise.race([inFlight, timedOut]).finally(() => clearTimeout(timer));
  };
  new Gauge({
    name: 'events_outbox_pending_events',
    help: 'Events committed to the outbox and not yet published to Kafka',
    registers: [registry],
    async collect() {
      this.set((await read()).pending);
    },
  });
  new Gauge({
    name: 'events_outbox_oldest_age_seconds',
    help: 'Age of the oldest event in the outbox not yet published to Kafka (0 when none waits)',
    registers: [registry],
    async collect() {
      const { oldestCreatedAt } = await read();
      this.set(oldestCreatedAt ? Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000) : 0);
    },
  });
  const published = new Counter({
    name: 'events_outbox_published_total',
    help: 'Events the outbox relay published to Kafka',
    registers: [registry],
  });
  return { published: (count) => published.inc(count) };
}
