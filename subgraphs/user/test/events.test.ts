import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import {
  createKafka,
  decodeEvent,
  ensureEventTopics,
  topicFor,
  type AnyEventEnvelope,
  type EventType,
} from '@platform/events';
import { createLogger } from '@platform/logger';
import {
  createTestDatabase,
  errorCodes,
  eventually,
  stackEndpoints,
  uniqueName,
} from '@platform/testing';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

const logger = createLogger('user-events-test', { level: 'silent' });
const kafka = createKafka('user-events-test', stackEndpoints().kafka.brokers, logger);
/** Nothing listens on port 1, so a subgraph pointed there sees Kafka as down. */
const UNREACHABLE_KAFKA = '127.0.0.1:1';

interface ReceivedMessage {
  topic: string;
  key: string | undefined;
  event: AnyEventEnvelope;
}

/** Every valid event read from the user and organization topics since they began. */
const received: ReceivedMessage[] = [];
const cleanups: Array<() => Promise<void>> = [];
let api: TestSubgraph;

beforeAll(async () => {
  await ensureEventTopics(kafka);
  const consumer = kafka.consumer({ groupId: uniqueName('user-events-test') });
  await consumer.connect();
  cleanups.push(() => consumer.disconnect());
  await consumer.subscribe({
    topics: [topicFor('user'), topicFor('organization')],
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      try {
        received.push({ topic, key: message.key?.toString(), event: decodeEvent(message.value) });
      } catch {
        // Not an event (another test's poison message): the assertions below look for ours only.
      }
    },
  });
  // A poll interval longer than any wait here: these events can only leave because each
  // committed write pokes the relay.
  api = await startTestSubgraph({ publishEvents: true, env: { OUTBOX_POLL_MS: '600000' } });
  cleanups.push(() => api.stop());
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface OutboxRow {
  event: AnyEventEnvelope;
  publishedAt: Date | null;
}

/** The outbox rows of one subject, optionally of one type, oldest first. */
async function outboxRows(pool: pg.Pool, subjectId: string, type?: EventType) {
  const { rows } = await pool.query<OutboxRow>(
    `SELECT event, published_at AS "publishedAt" FROM outbox
     WHERE event->'subject'->>'id' = $1 AND ($2::text IS NULL OR event->>'type' = $2)
     ORDER BY id`,
    [subjectId, type ?? null],
  );
  return rows;
}

/**
 * Asserts the subject has exactly one outbox event of `type`, waits until it has been consumed
 * from its aggregate's topic and marked published, and returns it as consumed.
 */
async function expectOneDeliveredEvent(
  pool: pg.Pool,
  type: EventType,
  subjectId: string,
): Promise<AnyEventEnvelope> {
  const rows = await outboxRows(pool, subjectId, type);
  expect(rows).toHaveLength(1);
  const written = rows[0]!.event;
  const message = await eventually(() => received.find(({ event }) => event.id === written.id));
  expect(received.filter(({ event }) => event.id === written.id)).toHaveLength(1);
  expect(message.topic).toBe(topicFor(type.startsWith('user.') ? 'user' : 'organization'));
  expect(message.key).toBe(subjectId);
  expect(message.event).toEqual(written);
  expect(message.event.schemaVersion).toBe(1);
  await eventually(async () => {
    const [row] = await outboxRows(pool, subjectId, type);
    return row?.publishedAt ?? undefined;
  });
  return message.event;
}

const SIGN_UP = `mutation ($email: String!, $name: String!, $password: String!) {
  signUp(email: $email, name: $name, password: $password) { user { id } }
}`;
const CREATE_ORGANIZATION = `mutation ($name: String!) { createOrganization(name: $name) { id } }`;
const ADD_MEMBER = `mutation ($organizationId: ID!, $userId: ID!, $role: OrganizationRole!) {
  addOrganizationMember(organizationId: $organizationId, userId: $userId, role: $role) { role }
}`;
const CREATE_API_KEY = `mutation ($name: String!, $scopes: [ApiKeyScope!]!) {
  createApiKey(name: $name, scopes: $scopes) { apiKey { id } }
}`;
const REVOKE_API_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

type SignedUpUser = Awaited<ReturnType<TestSubgraph['signUp']>>;

async function createOrganization(owner: SignedUpUser) {
  const result = await api.graphql<{ createOrganization: { id: string } }>(
    CREATE_ORGANIZATION,
    { name: uniqueName('Org') },
    owner.principal,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createOrganization.id;
}

async function createApiKey(owner: SignedUpUser) {
  const result = await api.graphql<{ createApiKey: { apiKey: { id: string } } }>(
    CREATE_API_KEY,
    { name: 'ci', scopes: ['READ', 'WRITE'] },
    owner.principal,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createApiKey.apiKey.id;
}

describe('domain events', () => {
  it('signUp emits user.signed_up on the user topic, keyed by and acted by the new user', async () => {
    const email = `${randomUUID()}@example.com`;
    const user = await api.signUp({ email, name: 'Ada' });
    const event = await expectOneDeliveredEvent(api.subgraph.pool, 'user.signed_up', user.id);
    expect(event).toMatchObject({
      actor: { userId: user.id },
      subject: { type: 'User', id: user.id },
      data: { email, name: 'Ada' },
    });
  });

  it('createOrganization emits organization.created keyed by the organization', async () => {
    const owner = await api.signUp();
    const organizationId = await createOrganization(owner);
    const event = await expectOneDeliveredEvent(
      api.subgraph.pool,
      'organization.created',
      organizationId,
    );
    expect(event).toMatchObject({
      actor: { userId: owner.id },
      subject: { type: 'Organization', id: organizationId },
      data: { ownerId: owner.id },
    });
  });

  it('addOrganizationMember emits organization.member_added with the member and role', async () => {
    const owner = await api.signUp();
    const member = await api.signUp();
    const organizationId = await createOrganization(owner);
    const added = await api.graphql(
      ADD_MEMBER,
      { organizationId, userId: member.id, role: 'ADMIN' },
      owner.principal,
    );
    expect(added.errors).toBeUndefined();
    const event = await expectOneDeliveredEvent(
      api.subgraph.pool,
      'organization.member_added',
      organizationId,
    );
    expect(event).toMatchObject({
      actor: { userId: owner.id },
      subject: { type: 'Organization', id: organizationId },
      data: { userId: member.id, role: 'ADMIN' },
    });
  });

  it('createApiKey emits user.api_key_created about the owner, without the secret', async () => {
    const owner = await api.signUp();
    const apiKeyId = await createApiKey(owner);
    const event = await expectOneDeliveredEvent(
      api.subgraph.pool,
      'user.api_key_created',
      owner.id,
    );
    expect(event).toMatchObject({
      actor: { userId: owner.id },
      subject: { type: 'User', id: owner.id },
    });
    expect(event.data).toEqual({ apiKeyId, name: 'ci', scopes: ['read', 'write'] });
  });

  it('revokeApiKey emits user.api_key_revoked once; revoking again emits nothing', async () => {
    const owner = await api.signUp();
    const apiKeyId = await createApiKey(owner);
    const revoked = await api.graphql(REVOKE_API_KEY, { id: apiKeyId }, owner.principal);
    expect(revoked.errors).toBeUndefined();
    const again = await api.graphql(REVOKE_API_KEY, { id: apiKeyId }, owner.principal);
    expect(again.errors).toBeUndefined();
    const event = await expectOneDeliveredEvent(
      api.subgraph.pool,
      'user.api_key_revoked',
      owner.id,
    );
    expect(event).toMatchObject({
      actor: { userId: owner.id },
      subject: { type: 'User', id: owner.id },
      data: { apiKeyId },
    });
  });

  it('a failed mutation and a login write no outbox row', async () => {
    const user = await api.signUp();
    const taken = await api.graphql(SIGN_UP, {
      email: user.email.toUpperCase(),
      name: 'Copy',
      password: 'another long password',
    });
    expect(errorCodes(taken)).toEqual(['EMAIL_TAKEN']);
    const login = await api.graphql(
      `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }`,
      { email: user.email, password: user.password },
    );
    expect(login.errors).toBeUndefined();

    const { rows } = await api.subgraph.pool.query<{ type: string; email: string }>(
      `SELECT event->>'type' AS type, event->'data'->>'email' AS email FROM outbox
       WHERE lower(event->'data'->>'email') = lower($1)`,
      [user.email],
    );
    expect(rows).toEqual([{ type: 'user.signed_up', email: user.email }]);
    expect(await outboxRows(api.subgraph.pool, user.id)).toHaveLength(1);
  });

  it('keeps an event written while Kafka is down and delivers it once Kafka is back', async () => {
    const database = await createTestDatabase('user_events_outage');
    cleanups.push(() => database.drop());

    const offline = await startTestSubgraph({
      databaseUrl: database.url,
      publishEvents: true,
      env: { KAFKA_BROKERS: UNREACHABLE_KAFKA, OUTBOX_POLL_MS: '100' },
    });
    let user: SignedUpUser;
    try {
      user = await offline.signUp();
      const [row] = await outboxRows(offline.subgraph.pool, user.id);
      expect(row?.event.type).toBe('user.signed_up');
      expect(row?.publishedAt).toBeNull();
    } finally {
      await offline.stop();
    }

    const online = await startTestSubgraph({ databaseUrl: database.url, publishEvents: true });
    cleanups.push(() => online.stop());
    const event = await expectOneDeliveredEvent(online.subgraph.pool, 'user.signed_up', user.id);
    expect(event.actor).toEqual({ userId: user.id });
  }, 60_000);
});
