import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  eventually,
  postGraphQL,
  startOtlpCollector,
  type CollectedSpan,
  type OtlpCollector,
} from '@platform/testing';
import { sharedProject, signUp, type SignedUpUser } from './platform.js';
import { startPlatformProcess, type PlatformProcess } from './platform-process.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * Issue 14's first acceptance bullet: the five services as `npm start` runs them (separate
 * processes, each with its own service.name), exporting OTLP/HTTP JSON to a collector this test
 * runs. Each request is sent with a `traceparent` of the test's own, so its trace is known: one
 * federated query and one mutation whose event reaches a graphql-ws subscriber, and the spans of
 * every process they touched share that one trace id.
 */
let collector: OtlpCollector;
let platform: PlatformProcess;
let alice: SignedUpUser;
let bob: SignedUpUser;
let documentId: string;
let version = 1;
let subscriber: Subscriber | undefined;

const SUBGRAPH_SERVICES = ['user-subgraph', 'data-subgraph', 'notification-subgraph'];

/** A new trace of the test's own: its id, and the `traceparent` that makes the gateway continue it. */
function newTrace(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

async function tracedGraphQL<Data>(
  query: string,
  variables: Record<string, unknown>,
  caller: SignedUpUser,
  traceparent: string,
) {
  const { body } = await postGraphQL<Data>(
    platform.gatewayUrl,
    { query, variables },
    { authorization: `Bearer ${caller.token}`, traceparent },
  );
  expect(body.errors).toBeUndefined();
  return body.data!;
}

const spansOf = (traceId: string) => collector.spans.filter((span) => span.traceId === traceId);
const describeSpans = (spans: CollectedSpan[]) =>
  spans.map((span) => `${span.service}: ${span.name}`).join('\n');

/** Waits (bounded) until the trace holds a span matching each predicate; the trace's spans. */
async function traceHolding(
  traceId: string,
  wanted: Record<string, (span: CollectedSpan) => boolean>,
  timeoutMs = 30_000,
): Promise<CollectedSpan[]> {
  const missing = () =>
    Object.entries(wanted)
      .filter(([, matches]) => !spansOf(traceId).some(matches))
      .map(([what]) => what);
  try {
    return await eventually(() => (missing().length === 0 ? spansOf(traceId) : undefined), {
      timeoutMs,
      what: 'the spans of the trace',
    });
  } catch {
    throw new Error(
      `the trace has no ${missing().join(', ')}; it has:\n${describeSpans(spansOf(traceId))}`,
    );
  }
}

/** Whether `span` is below the span `ancestorId` in its trace. */
function descendsFrom(span: CollectedSpan, ancestorId: string, spans: CollectedSpan[]): boolean {
  const byId = new Map(spans.map((each) => [each.spanId, each]));
  for (let parent = span.parentSpanId; parent; parent = byId.get(parent)?.parentSpanId) {
    if (parent === ancestorId) return true;
  }
  return false;
}

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

beforeAll(async () => {
  collector = await startOtlpCollector();
  platform = await startPlatformProcess({
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Exported within a fraction of a second rather than the default 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  });
  const url = platform.gatewayUrl;
  [alice, bob] = [await signUp(url, 'alice'), await signUp(url, 'bob')];
  const projectId = await sharedProject(url, alice, 'Tracing', [bob]);
  const created = await tracedGraphQL<{ createDocument: { id: string } }>(
    'mutation ($p: ID!) { createDocument(input: { projectId: $p, title: "Plan" }) { id } }',
    { p: projectId },
    alice,
    newTrace().traceparent,
  );
  documentId = created.createDocument.id;
}, 150_000);

afterAll(async () => {
  await subscriber?.close();
  await platform?.dispose();
  await collector?.stop();
}, 60_000);

describe('OpenTelemetry traces', () => {
  it('follows one federated query from the gateway into every subgraph it fetches from and their stores', async () => {
    const { traceId, traceparent } = newTrace();
    await tracedGraphQL(
      '{ me { id name projects(first: 5) { edges { node { id name } } } unreadCount } }',
      {},
      alice,
      traceparent,
    );
    const fetchOf = (subgraph: string) => (span: CollectedSpan) =>
      span.service === 'gateway' &&
      span.name === 'gateway.fetch' &&
      span.attributes['platform.subgraph.name'] === subgraph &&
      span.attributes['platform.subgraph.outcome'] === 'ok';
    const serverIn = (service: string) => (span: CollectedSpan) =>
      span.service === service && span.kind === SERVER;
    const spans = await traceHolding(traceId, {
      'the gateway request': (span) => span.service === 'gateway' && span.kind === SERVER,
      'the rate-limit decision': (span) =>
        span.name === 'gateway.rate_limit' &&
        span.attributes['platform.rate_limit.decision'] === 'allowed' &&
        Number(span.attributes['platform.rate_limit.cost']) > 0,
      'the cache lookup': (span) =>
        span.name === 'gateway.cache.lookup' &&
        ['hit', 'miss', 'bypass'].includes(String(span.attributes['platform.cache.result'])),
      'the validation': (span) => span.name === 'graphql.validate',
      'the query plan': (span) => span.name === 'gateway.plan',
      'the fetch from user': fetchOf('user'),
      'the fetch from data': fetchOf('data'),
      'the fetch from notification': fetchOf('notification'),
      'the user subgraph': serverIn('user-subgraph'),
      'the data subgraph': serverIn('data-subgraph'),
      'the notification subgraph': serverIn('notification-subgraph'),
      'a PostgreSQL query in user': (span) =>
        span.service === 'user-subgraph' && span.name.startsWith('pg.query'),
      'a MongoDB command in data': (span) =>
        span.service === 'data-subgraph' &&
        (span.attributes['db.system'] ?? span.attributes['db.system.name']) === 'mongodb',
    });
    // Every subgraph's server span is a child of one of the gateway's spans (traceparent sent).
    const gatewaySpanIds = new Set(
      spans.filter((span) => span.service === 'gateway').map((span) => span.spanId),
    );
    for (const service of SUBGRAPH_SERVICES) {
      const server = spans.find(serverIn(service))!;
      expect(gatewaySpanIds.has(server.parentSpanId!)).toBe(true);
    }
  }, 60_000);

  it("continues a user subgraph mutation's trace from its PostgreSQL outbox row into every consumer", async () => {
    const { traceId, traceparent } = newTrace();
    const { body } = await postGraphQL(
      platform.gatewayUrl,
      {
        query:
          'mutation { signUp(email: "carol-tracing@example.com", name: "Carol", password: "correct horse battery") { token } }',
      },
      { traceparent },
    );
    expect(body.errors).toBeUndefined();
    const consumedIn = (service: string) => (span: CollectedSpan) =>
      span.service === service &&
      span.kind === CONSUMER &&
      span.name === 'process platform.user.events';
    const spans = await traceHolding(traceId, {
      'the user subgraph': (span) => span.service === 'user-subgraph' && span.kind === SERVER,
      'the outbox insert': (span) =>
        span.service === 'user-subgraph' && /^pg\.query:INSERT/.test(span.name),
      'the Kafka produce': (span) =>
        span.service === 'user-subgraph' &&
        span.kind === PRODUCER &&
        span.name === 'send platform.user.events',
      'the analytics consumer': consumedIn('analytics-subgraph'),
      'the notification consumer': consumedIn('notification-subgraph'),
    });
    const produce = spans.find((span) => span.name === 'send platform.user.events')!;
    for (const service of ['analytics-subgraph', 'notification-subgraph']) {
      expect(spans.find(consumedIn(service))!.parentSpanId).toBe(produce.spanId);
    }
  }, 60_000);

  it('follows a mutation through Kafka and Redis to the socket that delivers its notification', async () => {
    subscriber = subscribe(
      platform.gatewayUrl,
      alice.token,
      'subscription { notificationAdded { id message actor { name } } }',
    );
    // The subscription is live once an edit reaches it; each edit is a trace of its own.
    const traceOfTitle = new Map<string, string>();
    for (let edit = 0; subscriber.received.length === 0 && edit < 20; edit++) {
      const { traceId, traceparent } = newTrace();
      const title = `edit ${edit}`;
      traceOfTitle.set(title, traceId);
      const updated = await tracedGraphQL<{ updateDocument: { version: number } }>(
        'mutation ($id: ID!, $v: Int!, $title: String!) { updateDocument(id: $id, expectedVersion: $v, patch: { title: $title }) { version } }',
        { id: documentId, v: version, title },
        bob,
        traceparent,
      );
      version = updated.updateDocument.version;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const [first] = await subscriber.waitFor(1);
    const title = /"(.*)"/.exec(String(first!.message))?.[1];
    expect(first!.actor).toEqual({ name: expect.any(String) });
    const traceId = traceOfTitle.get(title!)!;
    expect(traceId).toBeDefined();

    const spans = await traceHolding(traceId, {
      'the gateway request': (span) => span.service === 'gateway' && span.kind === SERVER,
      'the data subgraph': (span) => span.service === 'data-subgraph' && span.kind === SERVER,
      'the Kafka produce': (span) =>
        span.service === 'data-subgraph' &&
        span.kind === PRODUCER &&
        span.name === 'send platform.document.events' &&
        span.attributes['messaging.system'] === 'kafka',
      "the notification consumer's handling": (span) =>
        span.service === 'notification-subgraph' &&
        span.kind === CONSUMER &&
        span.name === 'process platform.document.events',
      'the Redis publish': (span) =>
        span.service === 'notification-subgraph' &&
        span.kind === PRODUCER &&
        span.name === `publish notifications:user:${alice.id}`,
      'the socket delivery': (span) =>
        span.service === 'gateway' &&
        span.name === 'gateway.subscription.deliver' &&
        span.attributes['platform.delivery.outcome'] === 'sent',
    });
    // Each step is the child of the one before it, across the four processes.
    const byName = (name: string) => spans.find((span) => span.name === name)!;
    const produce = byName('send platform.document.events');
    const consume = spans.find(
      (span) =>
        span.service === 'notification-subgraph' &&
        span.name === 'process platform.document.events',
    )!;
    const publish = byName(`publish notifications:user:${alice.id}`);
    const delivery = byName('gateway.subscription.deliver');
    expect(consume.parentSpanId).toBe(produce.spanId);
    expect(publish.parentSpanId).toBe(consume.spanId);
    expect(delivery.parentSpanId).toBe(publish.spanId);
    // The delivery resolved the subscriber's selection (the actor's name: the user subgraph).
    await traceHolding(traceId, {
      "the user subgraph, resolving the delivery's selection": (span) =>
        span.service === 'user-subgraph' &&
        span.kind === SERVER &&
        descendsFrom(span, delivery.spanId, spansOf(traceId)),
    });
  }, 90_000);
});
