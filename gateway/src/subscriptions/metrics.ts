import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryRetryObserver } from './delivery-retry.js';

export interface SubscriptionMetrics {
  /** `gateway_subscription_starts_total{principal_kind}`: subscriptions accepted, by principal kind. */
  starts: Counter<'principal_kind'>;
  /**
   * `gateway_subscription_caps_refused_total{cap}`: sockets (`sockets_per_user`) and subscribes
   * (`subscriptions_per_socket`) refused by a cap; counted, not logged one by one.
   */
  capsRefused: Counter<'cap'>;
}

/**
 * The subscription side's metrics, on the gateway's registry. The gauges read live counts when
 * /metrics is scraped.
 */
export function createSubscriptionMetrics(
  registry: Registry,
  live: { activeCount: () => number; channelCount: () => number },
): SubscriptionMetrics {
  const registers = [registry];
  new Gauge({
    name: 'gateway_subscriptions_active',
    help: 'Subscriptions being served by this process',
    registers,
    collect() {
      this.set(live.activeCount());
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
