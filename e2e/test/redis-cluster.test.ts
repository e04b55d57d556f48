import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster } from 'ioredis';
import { documentChannel } from '@platform/realtime';
import { createRedisConnection, redisTargetOf, type RedisConnection } from '@platform/redis';
import {
  eventually,
  redisSubscriberCount,
  stackEndpoints,
  startPrivateRedisCluster,
  type PrivateRedisCluster,
} from '@platform/testing';
import {
  counter,
  createDocument,
  graphql,
  graphqlWithHeaders,
  sharedProject,
  type SignedUpUser,
  signUp,
  startTestPlatform,
  type TestPlatform,
} from './platform.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * The platform on a three-node Redis Cluster of its own (REDIS_MODE=cluster for the data and
 * notification subgraphs and the gateway): a mutation's notification goes Kafka -> notification
 * -> the cluster -> gateway -> socket, a document change data -> the cluster -> gateway ->
 * socket, and the gateway's rate limit and response cache (with its invalidation) keep their keys
 * on the cluster, each script's keys in one slot.
 */
let cluster: PrivateRedisCluster;
let platform: TestPlatform;
let redis: RedisConnection;
let alice: SignedUpUser;
let bob: SignedUpUser;
let projectId: string;
let documentId: string;
let version = 1;
const subscribers: Subscriber[] = [];

const DOCUMENT = 'query ($id: ID!) { document(id: $id) { id title } }';

beforeAll(async () => {
  cluster = await startPrivateRedisCluster();
  platform = await startTestPlatform({
    events: { brokers: stackEndpoints().kafka.brokers },
    redisEnv: { REDIS_URL: cluster.url, REDIS_MODE: 'cluster' },
    // Generous: on a busy machine a slow answer would turn the hit this test counts into a bypass.
    gatewayEnv: { RESPONSE_CACHE_REDIS_TIMEOUT_MS: '2000' },
  });
  await platform.events!.startNotificationConsumer();
  redis = createRedisConnection(redisTargetOf(cluster.url, 'cluster'), {
    connectionName: 'e2e-cluster-test',
  });
  const url = platform.gatewayUrl;
  [alice, bob] = [await signUp(url, 'alice'), await signUp(url, 'bob')];
  projectId = await sharedProject(url, alice, 'Clustered', [bob]);
  documentId = await createDocument(url, alice, projectId);
}, 120_000);

afterAll(async () => {
  for (const subscriber of subscribers) await subscriber.close();
  redis?.disconnect();
  await platform?.stop();
  await cluster?.dispose();
}, 60_000);

async function bobRenames(title: string): Promise<void> {
  const result = await graphql<{ updateDocument: { version: number } }>(
    platform.gatewayUrl,
    'mutation ($id: ID!, $version: Int!, $title: String!) { updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { version } }',
    { id: documentId, version, title },
    bob,
  );
  expect(result.errors).toBeUndefined();
  version = result.data!.updateDocument.version;
}

/** Keys matching `pattern` on every primary of the cluster. */
async function keysOnCluster(pattern: string): Promise<string[]> {
  if (!(redis instanceof Cluster)) throw new Error('expected a cluster connection');
  const perNode = await Promise.all(redis.nodes('master').map((node) => node.keys(pattern)));
  return perNode.flat();
}

describe('the platform on a Redis Cluster', () => {
  it("delivers a mutation's notification through Kafka and the cluster to a live subscriber", async () => {
    const live = subscribe(
      platform.gatewayUrl,
      alice.token,
      'subscription { notificationAdded(since: "0") { kind message actor { id } } }',
    );
    subscribers.push(live);
    await bobRenames('Plan v2');
    await eventually(() =>
      live.received.some((notification) => notification.kind === 'DOCUMENT_UPDATED')
        ? true
        : undefined,
    );
    expect(live.received.find((n) => n.kind === 'DOCUMENT_UPDATED')).toMatchObject({
      actor: { id: bob.id },
    });
    expect(live.errors).toEqual([]);
  }, 60_000);

  it('delivers a document change the data subgraph publishes on the cluster', async () => {
    const live = subscribe(
      platform.gatewayUrl,
      alice.token,
      'subscription ($projectId: ID!) { documentChanged(projectId: $projectId) { id title } }',
      { projectId },
      'documentChanged',
    );
    subscribers.push(live);
    const target = redisTargetOf(cluster.url, 'cluster');
    await eventually(async () =>
      (await redisSubscriberCount(documentChannel(projectId), target)) > 0 ? true : undefined,
    );
    await bobRenames('Plan, live');
    expect(await live.waitFor(1)).toEqual([{ id: documentId, title: 'Plan, live' }]);
    expect(live.errors).toEqual([]);
  }, 60_000);

  it('rate-limits from buckets on the cluster, tagged by the caller', async () => {
    await graphql(platform.gatewayUrl, '{ me { id } }', {}, alice);
    expect(await keysOnCluster(`{ratelimit:user:${alice.id}}`)).toHaveLength(1);
  });

  it('serves a cached query from the cluster, and a mutation invalidates it', async () => {
    const hits = () =>
      counter(platform.gateway.metricsUrl, 'gateway_response_cache_total', { outcome: 'hit' });
    const read = () =>
      graphqlWithHeaders<{ document: { title: string } }>(
        platform.gatewayUrl,
        DOCUMENT,
        { id: documentId },
        alice,
      );
    const first = await read();
    expect(first.errors).toBeUndefined();
    const before = await hits();
    expect((await read()).data?.document.title).toBe(first.data?.document.title);
    expect(await hits()).toBe(before + 1);
    // Every entry, tag set and stamp in the one slot of `{gateway:cache:}`.
    expect((await keysOnCluster('{gateway:cache:}response:*')).length).toBeGreaterThan(0);

    await bobRenames('Plan v3');
    expect((await read()).data?.document.title).toBe('Plan v3');
  }, 60_000);
});
