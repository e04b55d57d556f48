import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { topicFor } from '@platform/events';
import {
  declaredMetrics,
  eventually,
  metricsCatalog,
  parsePrometheusText,
  stackEndpoints,
  sumOf,
  uniqueName,
  type Sample,
} from '@platform/testing';
import { createDocument, graphql, sharedProject, type SignedUpUser, signUp } from './platform.js';
import { startPlatformProcess, type PlatformProcess } from './platform-process.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * Issue 14's acceptance for metrics: the five services as `npm start` runs them, real traffic (a
 * sign-up and other mutations whose events are consumed, a query, a cached query asked twice, a
 * subscription receiving a notification, a message no consumer can read), then every process's
 * /metrics serves each metric docs/metrics.md lists for it, with exactly the labels it lists, and
 * the metrics of issue 14 part 2 have samples that show the traffic.
 */
let platform: PlatformProcess;
let alice: SignedUpUser;
let bob: SignedUpUser;
let documentId: string;
let version = 1;
let subscriber: Subscriber | undefined;

type Service = keyof PlatformProcess['metricsUrls'];

async function scrape(service: Service): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(platform.metricsUrls[service]);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, samples: parsePrometheusText(text) };
}

async function scrapeAll(): Promise<Record<Service, { text: string; samples: Sample[] }>> {
  const services = Object.keys(platform.metricsUrls) as Service[];
  const scrapes = await Promise.all(services.map(scrape));
  return Object.fromEntries(services.map((service, i) => [service, scrapes[i]!])) as Record<
    Service,
    { text: string; samples: Sample[] }
  >;
}

/** The samples of a documented metric: a histogram's are its _bucket, _sum and _count. */
function samplesOf(samples: Sample[], name: string, type: string): Sample[] {
  const names = type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  return samples.filter((sample) => names.includes(sample.name));
}

const ME = 'query Me { me { id email name } }';

beforeAll(async () => {
  // An API key may spend 5 tokens and gets them back only slowly: a rate-limited call is cheap.
  platform = await startPlatformProcess({
    env: {
      PLATFORM_GATEWAY_RATE_LIMIT_API_KEY_CAPACITY: '5',
      PLATFORM_GATEWAY_RATE_LIMIT_API_KEY_REFILL_PER_SECOND: '0.001',
    },
  });
  const url = platform.gatewayUrl;
  [alice, bob] = [await signUp(url, 'alice'), await signUp(url, 'bob')];
  const projectId = await sharedProject(url, alice, 'Gauges', [bob]);
  documentId = await createDocument(url, alice, projectId);
}, 150_000);

afterAll(async () => {
  await subscriber?.close();
  await platform?.dispose();
}, 60_000);

describe('/metrics on every process', () => {
  it('serves each documented metric with its labels, and the traffic shows in them', async () => {
    const url = platform.gatewayUrl;
    // A query, then the same query again: the second is answered from the response cache.
    for (let i = 0; i < 2; i++) {
      const me = await graphql(url, ME, {}, alice);
      expect(me.errors).toBeUndefined();
    }
    // A subscription that receives a notification: Bob edits until one reaches Alice (an edit made
    // before the subscription is live is not replayed).
    subscriber = subscribe(url, alice.token, 'subscription { notificationAdded { id message } }');
    for (let edit = 0; subscriber.received.length === 0 && edit < 20; edit++) {
      const result = await graphql<{ updateDocument: { version: number } }>(
        url,
        'mutation ($id: ID!, $version: Int!, $title: String!) { updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { version } }',
        { id: documentId, version, title: `edit ${edit}` },
        bob,
      );
      expect(result.errors).toBeUndefined();
      version = result.data!.updateDocument.version;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await subscriber.waitFor(1);
    // A caller over its budget: an API key spends its 5 tokens, then is refused 429.
    const created = await graphql<{ createApiKey: { secret: string } }>(
      url,
      'mutation ($name: String!) { createApiKey(name: $name, scopes: [READ]) { secret } }',
      { name: 'metrics' },
      alice,
    );
    expect(created.errors).toBeUndefined();
    const apiKey = created.data!.createApiKey.secret;
    let status = 200;
    for (let call = 0; call < 10 && status !== 429; call++) {
      status = (await graphql(url, '{ me { id } }', {}, { apiKey })).status;
    }
    expect(status).toBe(429);
    // A message no consumer can read: every group sends it to the dead-letter topic.
    const kafka = new Kafka({
      brokers: stackEndpoints().kafka.brokers,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: topicFor('project'),
      messages: [{ key: uniqueName('metrics-poison'), value: 'not an event' }],
    });
    await producer.disconnect();

    const { groups } = platform;
    const scrapes = await eventually(
      async () => {
        const all = await scrapeAll();
        const dead = (service: Service, group: string) =>
          sumOf(all[service].samples, 'events_dead_letters_total', {
            group,
            topic: topicFor('project'),
          });
        const ready =
          dead('analytics', groups.analytics) >= 1 &&
          dead('notification', groups.notification) >= 1 &&
          sumOf(all.user.samples, 'events_outbox_published_total') >= 2 &&
          sumOf(all.data.samples, 'events_outbox_published_total') >= 2;
        return ready ? all : undefined;
      },
      { timeoutMs: 60_000, what: 'the events and the dead letter counted' },
    );

    // Every documented metric, on every process the table names, with exactly its labels.
    for (const metric of metricsCatalog()) {
      for (const service of metric.processes as Service[]) {
        const { text, samples } = scrapes[service];
        expect({
          service,
          metric: metric.name,
          type: declaredMetrics(text).get(metric.name),
        }).toEqual({ service, metric: metric.name, type: metric.type });
        for (const sample of samplesOf(samples, metric.name, metric.type)) {
          const expected = sample.name.endsWith('_bucket')
            ? [...metric.labels, 'le'].sort()
            : [...metric.labels].sort();
          expect({ sample: sample.name, labels: Object.keys(sample.labels).sort() }).toEqual({
            sample: sample.name,
            labels: expected,
          });
        }
      }
    }

    // Part 2's metrics show the traffic.
    const gateway = scrapes.gateway.samples;
    const at = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
      sumOf(samples, name, labels);
    expect(
      at(gateway, 'gateway_operation_duration_seconds_count', {
        operation_name: 'Me',
        operation_type: 'query',
        outcome: 'success',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      at(gateway, 'gateway_operation_duration_seconds_count', { operation_type: 'mutation' }),
    ).toBeGreaterThanOrEqual(4);
    for (const subgraph of ['user', 'data']) {
      expect(
        at(gateway, 'gateway_subgraph_fetch_duration_seconds_count', {
          subgraph,
          outcome: 'success',
        }),
      ).toBeGreaterThanOrEqual(1);
    }
    expect(at(gateway, 'gateway_response_cache_total', { outcome: 'miss' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(at(gateway, 'gateway_response_cache_total', { outcome: 'hit' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      at(gateway, 'gateway_rate_limit_decisions_total', { tier: 'user', outcome: 'allowed' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      at(gateway, 'gateway_rate_limit_decisions_total', { outcome: 'limited' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      at(gateway, 'gateway_http_requests_total', { outcome: 'rejected', status: '429' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      at(gateway, 'gateway_subscription_delivery_latency_seconds_count', {
        field: 'notificationAdded',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      at(gateway, 'gateway_subscription_connections', { transport: 'graphql-ws' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      at(gateway, 'gateway_subscriptions_active', { transport: 'graphql-ws' }),
    ).toBeGreaterThanOrEqual(1);
    for (const transport of ['sse', 'multipart']) {
      expect(gateway).toContainEqual({
        name: 'gateway_subscription_connections',
        labels: { transport },
        value: 0,
      });
    }
    expect(gateway.some((sample) => sample.name === 'gateway_subgraph_breaker_open')).toBe(true);

    // Consumer lag per group and partition, on each consuming process, for its own group.
    const lagOf = (service: Service, group: string) =>
      scrapes[service].samples.filter(
        (sample) => sample.name === 'events_consumer_lag_messages' && sample.labels.group === group,
      );
    for (const [service, group] of [
      ['analytics', groups.analytics],
      ['notification', groups.notification],
      ['gateway', 'gateway-cache-invalidation'],
    ] as const) {
      const lag = lagOf(service, group);
      expect(lag.map((sample) => sample.labels.topic)).toEqual(
        expect.arrayContaining([topicFor('project'), topicFor('document'), topicFor('user')]),
      );
      for (const sample of lag) {
        expect(sample.labels.partition).toMatch(/^\d+$/);
        expect(sample.value).toBeGreaterThanOrEqual(0);
      }
    }

    // The outbox of each publishing subgraph: what waits, and how old the oldest is.
    for (const service of ['user', 'data'] as const) {
      const { samples } = scrapes[service];
      expect(
        samples.find((s) => s.name === 'events_outbox_pending_events')?.value,
      ).toBeGreaterThanOrEqual(0);
      expect(
        samples.find((s) => s.name === 'events_outbox_oldest_age_seconds')?.value,
      ).toBeGreaterThanOrEqual(0);
    }

    // Node's default process metrics everywhere.
    for (const service of Object.keys(scrapes) as Service[]) {
      expect(at(scrapes[service].samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    }
  }, 150_000);
});
