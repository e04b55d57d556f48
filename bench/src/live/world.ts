import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { stackEndpoints } from '@platform/config';
import { issueAccessToken } from '@platform/identity';
import type { BenchStores } from '../stores.js';

/**
 * The live benchmark's world, written straight into the run's stores (signUp's scrypt would take
 * minutes for 10,000 users): one actor who causes every notification, and recipients in projects
 * of RECIPIENTS_PER_PROJECT with the actor, each recipient with one document of their own that
 * the actor updates. Each recipient's events are about their own document, so they share one
 * Kafka key and stay in order.
 *
 * The stored shapes repeat the user subgraph's `users` table and the data subgraph's
 * ProjectRecord and DocumentRecord (subgraphs/data/src/repositories/records.ts), which the bench
 * may not import: when those change, change this too.
 */
export interface LiveRecipient {
  userId: string;
  token: string;
  documentId: string;
  projectId: string;
}

export interface LiveWorld {
  actorId: string;
  recipients: LiveRecipient[];
}

/** Small enough for the data store's index on `memberIds` (issue 16: 65 members is too many). */
const RECIPIENTS_PER_PROJECT = 39;

/** Never a valid scrypt hash: these users cannot log in, they only hold tokens. */
const NO_PASSWORD = 'bench-live:no-password';

const TOKEN_TTL_SECONDS = 24 * 60 * 60;

async function insertUsers(database: string, users: Array<{ id: string; name: string }>) {
  const client = new pg.Client({ connectionString: stackEndpoints().postgres.url(database) });
  await client.connect();
  try {
    for (let start = 0; start < users.length; start += 5_000) {
      const batch = users.slice(start, start + 5_000);
      await client.query(
        `INSERT INTO users (id, email, name, password_hash)
         SELECT id, 'live-' || id || '@bench.test', name, $3
         FROM unnest($1::uuid[], $2::text[]) AS u(id, name)`,
        [batch.map((user) => user.id), batch.map((user) => user.name), NO_PASSWORD],
      );
    }
  } finally {
    await client.end();
  }
}

async function insertProjectsAndDocuments(
  mongoDatabase: string,
  actorId: string,
  recipients: Array<{ userId: string; documentId: string; projectId: string }>,
) {
  const client = await MongoClient.connect(stackEndpoints().mongo.url);
  try {
    const db = client.db(mongoDatabase);
    const now = new Date();
    const projects = new Map<string, string[]>();
    for (const { userId, projectId } of recipients) {
      projects.set(projectId, [...(projects.get(projectId) ?? []), userId]);
    }
    const projectRecords = [...projects].map(([projectId, memberIds], index) => ({
      _id: projectId,
      name: `Live project ${index + 1}`,
      description: null,
      ownerId: actorId,
      memberIds: [actorId, ...memberIds],
      createdAt: now,
      version: 1,
    }));
    const documentRecords = recipients.map(({ userId, documentId, projectId }) => ({
      _id: documentId,
      projectId,
      title: `Notes of ${userId.slice(0, 8)}`,
      bodyJson: null,
      tags: [],
      authorId: actorId,
      version: 1,
      createdAt: now,
      updatedAt: now,
    }));
    for (let start = 0; start < projectRecords.length; start += 500) {
      await db
        .collection<{ _id: string }>('projects')
        .insertMany(projectRecords.slice(start, start + 500), { ordered: false });
    }
    for (let start = 0; start < documentRecords.length; start += 1_000) {
      await db
        .collection<{ _id: string }>('documents')
        .insertMany(documentRecords.slice(start, start + 1_000), { ordered: false });
    }
  } finally {
    await client.close();
  }
}

/** `count` recipients (and the actor) in the stores, each with an access token signed by the run. */
export async function seedLiveWorld(
  stores: BenchStores,
  jwtSecret: string,
  count: number,
): Promise<LiveWorld> {
  const actorId = randomUUID();
  const ids = Array.from({ length: count }, () => randomUUID());
  const projectIds = Array.from({ length: Math.ceil(count / RECIPIENTS_PER_PROJECT) }, () =>
    randomUUID(),
  );
  const placed = ids.map((userId, index) => ({
    userId,
    documentId: randomUUID(),
    projectId: projectIds[Math.floor(index / RECIPIENTS_PER_PROJECT)]!,
  }));
  await insertUsers(stores.postgres.user, [
    { id: actorId, name: 'Live Actor' },
    ...ids.map((id, index) => ({ id, name: `Live Recipient ${index + 1}` })),
  ]);
  await insertProjectsAndDocuments(stores.mongoDatabase, actorId, placed);
  const recipients: LiveRecipient[] = [];
  for (const recipient of placed) {
    const { token } = await issueAccessToken(
      { userId: recipient.userId, role: 'USER' },
      jwtSecret,
      TOKEN_TTL_SECONDS,
    );
    recipients.push({ ...recipient, token });
  }
  return { actorId, recipients };
}
