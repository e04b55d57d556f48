import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createLogger } from '@platform/logger';
import {
  createTestDatabase,
  metricValue,
  postGraphQL,
  stackEndpoints,
  uniqueName,
  type GraphQLResponse,
} from '@platform/testing';
import {
  loadAnalyticsConfig,
  startAnalyticsSubgraph,
  type AnalyticsSubgraph,
} from '@platform/analytics-subgraph';
import { loadDataConfig, startDataSubgraph, type DataSubgraph } from '@platform/data-subgraph';
import type { EventConsumer } from '@platform/events';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@platform/gateway';
import {
  loadNotificationConfig,
  startNotificationConsumer,
  startNotificationSubgraph,
  type NotificationSubgraph,
  type NotificationSubgraphConfig,
} from '@platform/notification-subgraph';
import { loadUserConfig, startUserSubgraph, type UserSubgraph } from '@platform/user-subgraph';

/**
 * The real platform for end-to-end tests: the user subgraph on a fresh PostgreSQL database, the
 * data subgraph on a fresh MongoDB database, and the gateway serving the committed supergraph
 * (schema/supergraph.graphql) with routing pointed at them. Clients talk to the gateway over HTTP
 * and WebSocket.
 *
 * With `events`, the subgraphs publish to the given Kafka brokers and the analytics and
 * notification subgraphs run too, each on a fresh database with consumer groups of their own; the
 * tests control those consumers (stop, rewind, restart) through `events`.
 */
export interface TestPlatform {
  gatewayUrl: string;
  user: UserSubgraph;
  data: DataSubgraph;
  gateway: RunningGateway;
  secrets: { JWT_SECRET: string; GATEWAY_SECRET: string };
  events?: PlatformEvents;
  /** Another gateway in front of the same subgraphs, with extra settings; stopped with the rest. */
  startGateway(env?: Record<string, string>): Promise<RunningGateway>;
  stop(): Promise<void>;
}

export interface PlatformEvents {
  analytics: AnalyticsSubgraph;
  notification: NotificationSubgraph;
  groups: { analytics: string; notification: string };
  startNotificationConsumer(): Promise<EventConsumer>;
  startAnalyticsConsumer(): Promise<EventConsumer>;
}

export interface TestPlatformOptions {
  events?: { brokers: string[] };
  /** Settings of the gateway (e.g. REDIS_URL, RATE_LIMIT_USER_CAPACITY). */
  gatewayEnv?: Record<string, string>;
  /** Settings of the user subgraph (e.g. ADMIN_EMAILS, JWT_TTL_SECONDS). */
  userEnv?: Record<string, string>;
  /** The Redis of data, notification and the gateway (REDIS_URL, REDIS_MODE); default: the stack's. */
  redisEnv?: Record<string, string>;
}

/**
 * Every test signs up from 127.0.0.1, and every test gateway keeps its buckets in the stack's one
 * Redis: under the default anonymous tier (200 tokens, 20/s, one bucket per IP) suites running side
 * by side would refuse each other's sign-ups. Tests of the anonymous limits set their own (and a
 * Redis of their own, e2e/test/abuse-http.test.ts).
 */
const SHARED_REDIS_ANONYMOUS_BUDGET = {
  RATE_LIMIT_ANONYMOUS_CAPACITY: '100000',
  RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND: '10000',
};

const quiet = (service: string) => createLogger(service, { level: 'silent' });

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
  };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const database = await createTestDatabase('e2e_user');
    stops.push(database.drop);
    const kafkaEnv: Record<string, string> = options.events
      ? { KAFKA_BROKERS: options.events.brokers.join(',') }
      : {};
    const publishEvents = options.events !== undefined;
    const user = await startUserSubgraph(
      {
        ...loadUserConfig({
          ...secrets,
          ...kafkaEnv,
          ...options.userEnv,
          DATABASE_URL: database.url,
        }),
        PORT: 0,
      },
      quiet('user'),
      { publishEvents },
    );
    stops.push(user.stop);

    const mongoDatabase = uniqueName('e2e_data');
    stops.push(async () => {
      const client = await MongoClient.connect(stackEndpoints().mongo.url);
      await client.db(mongoDatabase).dropDatabase();
      await client.close();
    });
    const data = await startDataSubgraph(
      {
        ...loadDataConfig({
          ...secrets,
          ...kafkaEnv,
          ...options.redisEnv,
          MONGO_DATABASE: mongoDatabase,
        }),
        PORT: 0,
      },
      quiet('data'),
      { publishEvents },
    );
    stops.push(data.stop);

    const events = options.events
      ? await startEventSubgraphs(secrets, { ...kafkaEnv, ...options.redisEnv }, stops)
      : undefined;
    const subgraphUrls: Record<string, string> = { user: user.url, data: data.url };
    if (events) {
      subgraphUrls.analytics = events.analytics.url;
      subgraphUrls.notification = events.notification.url;
    }

    const startAnotherGateway = async (env: Record<string, string> = {}) => {
      const started = await startGateway(
        {
          ...loadGatewayConfig({
            ...secrets,
            ...kafkaEnv,
            ...SHARED_REDIS_ANONYMOUS_BUDGET,
            ...options.redisEnv,
            ...options.gatewayEnv,
            ...env,
          }),
          PORT: 0,
        },
        quiet('gateway'),
        // Without events, nothing changes behind the gateway's back: no invalidation consumer.
        { subgraphUrls, consumeCacheEvents: publishEvents },
      );
      stops.push(started.stop);
      return started;
    };
    const gateway = await startAnotherGateway();

    return {
      gatewayUrl: gateway.url,
      user,
      data,
      gateway,
      secrets,
      events,
      startGateway: startAnotherGateway,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startEventSubgraphs(
  secrets: Record<string, string>,
  kafkaEnv: Record<string, string>,
  stops: Array<() => Promise<void>>,
): Promise<PlatformEvents> {
  const groups = {
    analytics: uniqueName('e2e-analytics'),
    notification: uniqueName('e2e-notification'),
  };

  const analyticsDatabase = await createTestDatabase('e2e_analytics');
  stops.push(analyticsDatabase.drop);
  const analytics = await startAnalyticsSubgraph(
    {
      ...loadAnalyticsConfig({
        ...secrets,
        ...kafkaEnv,
        DATABASE_URL: analyticsDatabase.url,
        KAFKA_GROUP_ID: groups.analytics,
      }),
      PORT: 0,
    },
    quiet('analytics'),
    { consume: false },
  );
  stops.push(analytics.stop);

  const notificationDatabase = await createTestDatabase('e2e_notification');
  stops.push(notificationDatabase.drop);
  const notificationConfig: NotificationSubgraphConfig = {
    ...loadNotificationConfig({
      ...secrets,
      ...kafkaEnv,
      DATABASE_URL: notificationDatabase.url,
      KAFKA_GROUP_ID: groups.notification,
    }),
    PORT: 0,
  };
  const notification = await startNotificationSubgraph(notificationConfig, quiet('notification'), {
    consume: false,
  });
  stops.push(notification.stop);

  const consumers = new Set<EventConsumer>();
  stops.push(async () => {
    for (const consumer of consumers) await consumer.stop();
  });
  const track = (consumer: EventConsumer): EventConsumer => {
    consumers.add(consumer);
    return {
      stop: async () => {
        consumers.delete(consumer);
        await consumer.stop();
      },
    };
  };

  return {
    analytics,
    notification,
    groups,
    startAnalyticsConsumer: async () => track(await analytics.startConsumer()),
    startNotificationConsumer: async () =>
      track(
        await startNotificationConsumer(notificationConfig, quiet('notification-consumer'), {
          pool: notification.pool,
          metrics: notification.metrics,
        }),
      ),
  };
}

export type Credential = { token: string } | { apiKey: string } | undefined;

function credentialHeaders(credential: Credential): Record<string, string> {
  if (!credential) return {};
  return 'token' in credential
    ? { authorization: `Bearer ${credential.token}` }
    : { 'x-api-key': credential.apiKey };
}

/** POSTs a GraphQL operation to the gateway as a client would. */
export async function graphql<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credential?: Credential,
): Promise<GraphQLResponse<Data>> {
  const { status, body } = await postGraphQL<Data>(
    url,
    { query, variables },
    credentialHeaders(credential),
  );
  return { status, ...body };
}

/** The current value of a counter on a service's /metrics (0 when it has no sample yet). */
export const counter = metricValue;

export interface SignedUpUser {
  id: string;
  email: string;
  token: string;
}

/** A project `owner` creates named `name`, with `members` added; its id. Fails on any error. */
export async function sharedProject(
  url: string,
  owner: SignedUpUser,
  name: string,
  members: SignedUpUser[],
): Promise<string> {
  const created = await graphql<{ createProject: { id: string } }>(
    url,
    'mutation ($name: String!) { createProject(input: { name: $name }) { id } }',
    { name },
    owner,
  );
  if (!created.data) throw new Error(`createProject failed: ${JSON.stringify(created.errors)}`);
  const projectId = created.data.createProject.id;
  for (const member of members) {
    const added = await graphql(
      url,
      'mutation ($p: ID!, $u: ID!) { addProjectMember(projectId: $p, userId: $u) { id } }',
      { p: projectId, u: member.id },
      owner,
    );
    if (added.errors) throw new Error(`addProjectMember failed: ${JSON.stringify(added.errors)}`);
  }
  return projectId;
}

/** A document titled `title` in project `projectId`, created by `author`; its id. Fails on any error. */
export async function createDocument(
  url: string,
  author: Credential,
  projectId: string,
  title = 'Plan',
): Promise<string> {
  const created = await graphql<{ createDocument: { id: string } }>(
    url,
    'mutation ($p: ID!, $t: String!) { createDocument(input: { projectId: $p, title: $t }) { id } }',
    { p: projectId, t: title },
    author,
  );
  if (!created.data) throw new Error(`createDocument failed: ${JSON.stringify(created.errors)}`);
  return created.data.createDocument.id;
}

export async function signUp(url: string, name: string): Promise<SignedUpUser> {
  const email = `${uniqueName(name)}@example.com`;
  const result = await graphql<{ signUp: { token: string; user: { id: string } } }>(
    url,
    'mutation ($email: String!, $name: String!) { signUp(email: $email, name: $name, password: "correct horse battery") { token user { id } } }',
    { email, name },
  );
  if (!result.data) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return { id: result.data.signUp.user.id, email, token: result.data.signUp.token };
}

/** Like `graphql`, with the response headers: for the policy headers (RateLimit-*, Cache-Control). */
export async function graphqlWithHeaders<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credential?: Credential,
): Promise<GraphQLResponse<Data> & { headers: Headers }> {
  const { status, headers, body } = await postGraphQL<Data>(
    url,
    { query, variables },
    credentialHeaders(credential),
  );
  return { status, headers, ...body };
}
