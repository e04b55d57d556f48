import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  kafkaService,
  redisService,
  stopProcess,
  waitUntilReady,
  type StackService,
} from '@platform/stack';

/**
 * A backing service of a test's own, for tests that stop and restart it (Kafka down during a
 * write, Redis down under load) without disturbing the shared stack other tests use.
 */
export interface PrivateService {
  /** Starts it (again) and waits until it answers. */
  start(): Promise<void>;
  /** Stops it; its data stays, so `start` brings the same state back. */
  stop(): Promise<void>;
  /** Suspends it (SIGSTOP): connections stay open but nothing answers, like a hung server. */
  freeze(): void;
  /** Lets a frozen service run on (SIGCONT). */
  thaw(): void;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function privateService(service: StackService, home: string): PrivateService {
  const start = async () => {
    if (service.pid() === undefined) await service.start();
    await waitUntilReady(service.name, service.logFile, () => service.probe(), {
      timeoutMs: 90_000,
      isRunning: () => service.pid() !== undefined,
    });
  };
  const signal = (name: NodeJS.Signals) => {
    const pid = service.pid();
    if (pid !== undefined) process.kill(pid, name);
  };
  const stop = async () => {
    const pid = service.pid();
    if (pid === undefined) return;
    signal('SIGCONT'); // in case a test froze it
    await stopProcess(pid);
  };
  return {
    start,
    stop,
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    dispose: async () => {
      await stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * A single-node Kafka broker of the test's own, from the stack's installed jars. With
 * `saslUsers` (name to password) it also has a SASL_PLAINTEXT listener, `saslBrokers`, where
 * those users log in with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; `brokers` stays plaintext.
 */
export async function startPrivateKafka(
  options: {
    saslUsers?: Record<string, string>;
    /** PEM key and certificate of the broker: its SASL listener speaks TLS (SASL_SSL). */
    tlsKeystoreFile?: string;
  } = {},
): Promise<PrivateService & { brokers: string[]; saslBrokers: string[] }> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'private-kafka-'));
  const port = await freePort();
  const saslPort = options.saslUsers ? await freePort() : undefined;
  const service = kafkaService({
    port,
    controllerPort: await freePort(),
    home,
    logFile: path.join(home, 'kafka.log'),
    pidFile: path.join(home, 'kafka.pid'),
    sasl:
      options.saslUsers && saslPort !== undefined
        ? { port: saslPort, users: options.saslUsers, tlsKeystoreFile: options.tlsKeystoreFile }
        : undefined,
  });
  const kafka = privateService(service, home);
  await kafka.start();
  return {
    ...kafka,
    brokers: [`127.0.0.1:${port}`],
    saslBrokers: saslPort === undefined ? [] : [`127.0.0.1:${saslPort}`],
  };
}

/** A Redis server of the test's own; `extraArgs` go to redis-server (ACL users, a TLS port). */
export async function startPrivateRedis({ extraArgs }: { extraArgs?: string[] } = {}): Promise<
  PrivateService & { url: string }
> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'private-redis-'));
  const port = await freePort();
  const service = redisService({
    port,
    dir: home,
    logFile: path.join(home, 'redis.log'),
    pidFile: path.join(home, 'redis.pid'),
    extraArgs,
  });
  const redis = privateService(service, home);
  await redis.start();
  return { ...redis, url: `redis://127.0.0.1:${port}` };
}
