import { Counter, Gauge, type Registry } from 'prom-client';

export interface SubscriptionMetrics {
  /** `gateway_subscription_starts_total{principal_kind}`: subscriptions accepted, by principal kind. */
  starts: Counter<'principal_kind'>;
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
  };
}
