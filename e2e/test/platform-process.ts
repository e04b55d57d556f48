import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { ALL_EVENT_TOPICS } from '@platform/events';
import {
  createTestDatabase,
  eventually,
  freePort,
  stackEndpoints,
  uniqueName,
} from '@platform/testing';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One JSON log line of `scripts/platform.ts` itself (`"service":"platform"`). */
export interface PlatformLogLine {
  msg: string;
  level: string;
  managedService?: string;
  pid?: number;
  [field: string]: unknown;
}

/**
 * `npm start`'s supervisor (scripts/platform.ts) as a child process, on ports, databases and
 * consumer groups of its own (through its `PLATFORM_<SERVICE>_<NAME>` variables): the five
 * services as they run for a developer, so a test can kill one of them.
 */
export interface PlatformProcess {
  gatewayUrl: string;
  /** Each service's `/metrics` (the gateway's on its internal listener). */
  metricsUrls: Record<'gateway' | 'user' | 'data' | 'analytics' | 'notification', string>;
  groups: { analytics: string; notification: string };
  /** The supervisor's own log lines so far. */
  lines: PlatformLogLine[];
  /** Waits (bounded) for a supervisor line matching `match` after the first `after` lines. */
  waitForLine(
    match: (line: PlatformLogLine) => boolean,
    options?: { after?: number; timeoutMs?: number; what?: string },
  ): Promise<PlatformLogLine>;
  /** The pid of a service's running process, from the last `service started` line. */
  pidOf(service: string): number;
  /** SIGTERM to the supervisor; resolves with its exit code. */
  stop(): Promise<number | null>;
  /** Stops the supervisor if it runs, then drops the databases. */
  dispose(): Promise<void>;
}

export interface PlatformProcessOptions {
  /** More variables for the supervisor and every service (e.g. the OTEL_* ones). */
  env?: Record<string, string>;
}

export async function startPlatformProcess(
  options: PlatformProcessOptions = {},
): Promise<PlatformProcess> {
  const databases = {
    user: await createTestDatabase('supervised_user'),
    analytics: await createTestDatabase('supervised_analytics'),
    notification: await createTestDatabase('supervised_notification'),
  };
  const mongoDatabase = uniqueName('supervised_data');
  const groups = {
    analytics: uniqueName('supervised-analytics'),
    notification: uniqueName('supervised-notification'),
  };
  await startAtTheEnd(Object.values(groups));
  const taken = new Set<number>();
  /** A free port no other service of this platform got (freePort may answer one twice). */
  const port = async (): Promise<number> => {
    for (;;) {
      const candidate = await freePort();
      if (taken.has(candidate)) continue;
      taken.add(candidate);
      return candidate;
    }
  };
  const ports = {
    USER_PORT: await port(),
    DATA_PORT: await port(),
    ANALYTICS_PORT: await port(),
    NOTIFICATION_PORT: await port(),
    GATEWAY_PORT: await port(),
  };
  const metricsPort = await port();
  // SUPERVISED_LOG_LEVEL=info SUPERVISED_LOG_FILE=/tmp/platform.log: every service's lines too.
  const serviceLogLevel = process.env.SUPERVISED_LOG_LEVEL ?? 'warn';
  const logFile = process.env.SUPERVISED_LOG_FILE;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
    JWT_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'info',
    PLATFORM_USER_DATABASE_URL: databases.user.url,
    PLATFORM_ANALYTICS_DATABASE_URL: databases.analytics.url,
    PLATFORM_NOTIFICATION_DATABASE_URL: databases.notification.url,
    PLATFORM_DATA_MONGO_DATABASE: mongoDatabase,
    PLATFORM_ANALYTICS_KAFKA_GROUP_ID: groups.analytics,
    PLATFORM_NOTIFICATION_KAFKA_GROUP_ID: groups.notification,
    PLATFORM_GATEWAY_METRICS_PORT: String(metricsPort),
    // Every test signs up from 127.0.0.1 and shares the stack's Redis (see platform.ts).
    PLATFORM_GATEWAY_RATE_LIMIT_ANONYMOUS_CAPACITY: '100000',
    PLATFORM_GATEWAY_RATE_LIMIT_ANONYMOUS_REFILL_PER_SECOND: '10000',
    ...Object.fromEntries(
      ['USER', 'DATA', 'ANALYTICS', 'NOTIFICATION', 'GATEWAY'].map((service) => [
        `PLATFORM_${service}_LOG_LEVEL`,
        serviceLogLevel,
      ]),
    ),
    ...options.env,
  };

  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/platform.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let running = true;
  void exited.then(() => (running = false));
  const lines: PlatformLogLine[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (logFile) appendFileSync(logFile, `${text}\n`);
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as PlatformLogLine & { service?: string };
    if (line.service === 'platform') lines.push(line);
  });

  const waitForLine: PlatformProcess['waitForLine'] = (match, options = {}) =>
    eventually(
      () => {
        if (!running) throw new Error('the platform exited');
        return lines.slice(options.after ?? 0).find(match);
      },
      { timeoutMs: options.timeoutMs ?? 60_000, what: options.what ?? 'a platform log line' },
    );

  const stop = async () => {
    if (running) child.kill('SIGTERM');
    return exited;
  };

  const platform: PlatformProcess = {
    gatewayUrl: `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`,
    metricsUrls: {
      gateway: `http://127.0.0.1:${metricsPort}/metrics`,
      user: `http://127.0.0.1:${ports.USER_PORT}/metrics`,
      data: `http://127.0.0.1:${ports.DATA_PORT}/metrics`,
      analytics: `http://127.0.0.1:${ports.ANALYTICS_PORT}/metrics`,
      notification: `http://127.0.0.1:${ports.NOTIFICATION_PORT}/metrics`,
    },
    groups,
    lines,
    waitForLine,
    pidOf: (service) => {
      const started = lines.filter(
        (line) => line.msg === 'service started' && line.managedService === service,
      );
      const pid = started.at(-1)?.pid;
      if (pid === undefined) throw new Error(`${service} has not started`);
      return pid;
    },
    stop,
    dispose: async () => {
      await stop();
      for (const database of Object.values(databases)) await database.drop();
      const client = await MongoClient.connect(stackEndpoints().mongo.url);
      await client.db(mongoDatabase).dropDatabase();
      await client.close();
    },
  };
  try {
    await waitForLine((line) => line.msg.startsWith('platform ready'), {
      timeoutMs: 120_000,
      what: 'the platform ready',
    });
  } catch (error) {
    await platform.dispose();
    throw error;
  }
  return platform;
}

/**
 * Commits each new group's offsets at the end of every event topic, so the platform's consumers
 * handle this test's events only, promptly, and not the stack's whole history (every other
 * test's events, which a new group would otherwise replay from the beginning first).
 */
async function startAtTheEnd(groups: string[]): Promise<void> {
  const kafka = new Kafka({ brokers: stackEndpoints().kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const groupId of groups) {
      for (const topic of ALL_EVENT_TOPICS.filter((name) => existing.has(name))) {
        // Real offsets: resetOffsets commits -1, which a consumer reads as "none" and replaces
        // by its own default (the earliest, for these groups).
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId,
          topic,
          partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
        });
      }
    }
  } finally {
    await admin.disconnect();
  }
}
