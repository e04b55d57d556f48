import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LiveMessage } from '@platform/realtime';
import type { DeliveryRetryObserver } from './delivery-retry.js';

/** What carries a subscription: a graphql-ws socket, an SSE or a multipart HTTP response. */
export type SubscriptionTransport = 'graphql-ws' | 'sse' | 'multipart';
const TRANSPORTS: readonly SubscriptionTransport[] = ['graphql-ws', 'sse', 'multipart'];

/** Event time to socket send: from milliseconds (a Redis round trip) to a consumer far behind. */
const DELIVERY_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export interface SubscriptionMetrics {
  /** `gateway_subscription_starts_total{principal_kind}`: subscriptions accepted, by principal kind. */
  starts: Counter<'principal_kind'>;
  /**
   * `gateway_subscription_caps_refused_total{cap}`: sockets (`sockets_per_user`) and subscribes
   * (`subscriptions_per_socket`) refused by a cap; counted, not logged one by one.
   */
  capsRefused: Counter<'cap'>;
  /**
   * A live message of `field` was handed to its transport: observes
   * `gateway_subscription_delivery_latency_seconds{field}` from the time it carries, if any.
   */
  delivered(field: string, message: LiveMessage): void;
}

/**
 * Seconds from when a message's event happened to `nowMs`; undefined when it carries no time.
 * Clocks of two machines disagree a little: a time in the future counts as 0, not as negative.
 */
export function deliveryLatencySeconds(
  occurredAt: string | undefined,
  nowMs: number,
): number | undefined {
  if (occurredAt === undefined) return undefined;
  const at = Date.parse(occurredAt);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, nowMs - at) / 1000;
}

/**
 * The subscription side's metrics, on the gateway's registry. The gauges read live counts per
 * transport when /metrics is scraped.
 */
export function createSubscriptionMetrics(
  registry: Registry,
  live: {
    countBy: (transport: SubscriptionTransport) => { connections: number; subscriptions: number };
    channelCount: () => number;
  },
): SubscriptionMetrics {
  const registers = [registry];
  new Gauge({
    name: 'gateway_subscription_connections',
    help: 'Open subscription connections by transport (graphql-ws sockets, SSE and multipart responses)',
    labelNames: ['transport'],
    registers,
    collect() {
      for (const transport of TRANSPORTS) {
        this.set({ transport }, live.countBy(transport).connections);
      }
    },
  });
  new Gauge({
    name: 'gateway_subscriptions_active',
    help: 'Subscriptions being served by this process, by transport',
    labelNames: ['transport'],
    registers,
    collect() {
      for (const transport of TRANSPORTS) {
        this.set({ transport }, live.countBy(transport).subscriptions);
      }
    },
  });
  new Gauge({
    name: 'gateway_subscription_channels',
    help: 'Redis notification channels this process is subscribed to',
    registers,
    collect() {
      this.set(live.channelCount());
    },
  });
  const latency = new Histogram({
    name: 'gateway_subscription_delivery_latency_seconds',
    help: 'From the time of the event behind a live message to its frame being handed to the socket, by subscription field',
    labelNames: ['field'],
    buckets: DELIVERY_LATENCY_BUCKETS,
    registers,
  });
  return {
    starts: new Counter({
      name: 'gateway_subscription_starts_total',
      help: 'Subscriptions started, by principal kind',
      labelNames: ['principal_kind'],
      registers,
    }),
    capsRefused: new Counter({
      name: 'gateway_subscription_caps_refused_total',
      help: 'Sockets (SOCKETS_PER_USER) and subscribes (SUBSCRIPTIONS_PER_SOCKET) refused by a cap',
      labelNames: ['cap'],
      registers,
    }),
    delivered(field, message) {
      const seconds = deliveryLatencySeconds(message.occurredAt, Date.now());
      if (seconds !== undefined) latency.observe({ field }, seconds);
    },
  };
}

export interface ResolutionMetrics {
  /** `gateway_subscription_resolutions_total`: internal queries run for subscribers. */
  resolutions: Counter;
  /** `gateway_subscription_resolutions_shared_total`: answered by an identical one instead. */
  shared: Counter;
}

/** The metrics of the queries subscriptions run (`resolution.ts`), on the gateway's registry. */
export function createResolutionMetrics(
  registry: Registry,
  live: { waiting: () => number; running: () => number },
): ResolutionMetrics {
  const registers = [registry];
  new Gauge({
    name: 'gateway_subscription_resolutions_waiting',
    help: 'Subscription queries waiting for a place (SUBSCRIPTION_RESOLVE_CONCURRENCY)',
    registers,
    collect() {
      this.set(live.waiting());
    },
  });
  new Gauge({
    name: 'gateway_subscription_resolutions_running',
    help: 'Subscription queries running now',
    registers,
    collect() {
      this.set(live.running());
    },
  });
  return {
    resolutions: new Counter({
      name: 'gateway_subscription_resolutions_total',
      help: 'Queries run to resolve notifications (and replays) for subscribers',
      registers,
    }),
    shared: new Counter({
      name: 'gateway_subscription_resolutions_shared_total',
      help: 'Subscription queries answered by an identical query of the same principal, in flight or just answered',
      registers,
    }),
  };
}

/** What `delivery-retry.ts` reports, on the gateway's registry. */
export function createDeliveryRetryMetrics(registry: Registry): DeliveryRetryObserver {
  const registers = [registry];
  const retries = new Counter({
    name: 'gateway_subscription_delivery_retries_total',
    help: 'Live entities (and replay pages) resolved again after an answer with a retryable error',
    registers,
  });
  const givenUp = new Counter({
    name: 'gateway_subscription_delivery_given_up_total',
    help: 'Streams ended with a retryable error: an entity was not resolved within SUBSCRIPTION_RETRY_ATTEMPTS',
    registers,
  });
  return { onRetry: () => retries.inc(), onGiveUp: () => givenUp.inc() };
}
