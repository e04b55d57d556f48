import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { stackEndpoints } from '@platform/config';
import { ALL_EVENT_TOPICS } from '@platform/events';

/**
 * The run's own stores on the shared stack, so the benchmark neither reads nor disturbs anyone
 * else's data: three PostgreSQL databases, one MongoDB database and two Kafka consumer groups,
 * all named `bench_*_<run>` and removed by `drop`.
 */
export interface BenchStores {
  postgres: { user: string; analytics: string; notification: string };
  mongoDatabase: string;
  kafkaGroups: { analytics: string; notification: string };
  drop: () => Promise<void>;
}

async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stackEndpoints().postgres.url('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Kafka's error code for deleting a group that still has members. */
const NON_EMPTY_GROUP = 68;

function kafkaAdmin() {
  const kafka = new Kafka({
    clientId: 'bench',
    brokers: stackEndpoints().kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  return kafka.admin();
}

/**
 * Commits each group's offsets at the current end of every event topic, so the run's consumers
 * read only the events the run itself causes instead of the shared topics' whole history (the
 * consumers start `fromBeginning`). Topics that do not exist yet are left alone.
 */
async function startGroupsAtLogEnd(groupIds: string[]): Promise<void> {
  const admin = kafkaAdmin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of ALL_EVENT_TOPICS.filter((name) => existing.has(name))) {
      const ends = await admin.fetchTopicOffsets(topic);
      const partitions = ends.map(({ partition, high }) => ({ partition, offset: high }));
      for (const groupId of groupIds) await admin.setOffsets({ groupId, topic, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Deletes consumer groups once they are empty: a stopped consumer's membership can outlive its
 * process until the coordinator notices (up to the session timeout), so NON_EMPTY is retried.
 */
async function deleteGroups(groupIds: string[], timeoutMs = 45_000): Promise<void> {
  const admin = kafkaAdmin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let remaining = groupIds;
    while (remaining.length > 0) {
      const outcomes = await admin.deleteGroups(remaining).catch((error: unknown) => {
        const failed = (error as { groups?: Array<{ groupId: string; errorCode: number }> }).groups;
        if (!failed) throw error;
        return failed;
      });
      remaining = outcomes
        .filter((outcome) => outcome.errorCode === NON_EMPTY_GROUP)
        .map((outcome) => outcome.groupId);
      const otherFailure = outcomes.find(
        (outcome) => outcome.errorCode !== 0 && outcome.errorCode !== NON_EMPTY_GROUP,
      );
      if (otherFailure) {
        throw new Error(
          `deleting consumer group ${otherFailure.groupId}: error code ${otherFailure.errorCode}`,
        );
      }
      if (remaining.length > 0 && Date.now() > deadline) {
        throw new Error(`consumer groups still have members: ${remaining.join(', ')}`);
      }
      if (remaining.length > 0) await sleep(1000);
    }
  } finally {
    await admin.disconnect();
  }
}

export async function createBenchStores(runId: string): Promise<BenchStores> {
  const postgres = {
    user: `bench_user_${runId}`,
    analytics: `bench_analytics_${runId}`,
    notification: `bench_notification_${runId}`,
  };
  const mongoDatabase = `bench_${runId}`;
  const kafkaGroups = {
    analytics: `bench_analytics_${runId}`,
    notification: `bench_notification_${runId}`,
  };

  const drop = async () => {
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>) => {
      await step().catch((error: unknown) => failures.push(error));
    };
    await attempt(() =>
      withPostgres(async (client) => {
        for (const name of Object.values(postgres)) {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      }),
    );
    await attempt(async () => {
      const mongo = await MongoClient.connect(stackEndpoints().mongo.url);
      try {
        await mongo.db(mongoDatabase).dropDatabase();
      } finally {
        await mongo.close();
      }
    });
    await attempt(() => deleteGroups(Object.values(kafkaGroups)));
    if (failures.length > 0) throw new AggregateError(failures, 'cleaning up the bench stores');
  };

  try {
    await withPostgres(async (client) => {
      for (const name of Object.values(postgres)) await client.query(`CREATE DATABASE ${name}`);
    });
    await startGroupsAtLogEnd(Object.values(kafkaGroups));
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { postgres, mongoDatabase, kafkaGroups, drop };
}
