import { mkdirSync } from 'node:fs';
import { stackPath } from './paths.js';
import { stopProcess, waitUntilReady } from './processes.js';
import type { StackService } from './service.js';
import { kafkaService } from './services/kafka.js';
import { mongoService } from './services/mongo.js';
import { postgresService } from './services/postgres.js';
import { redisService } from './services/redis.js';

const READY_TIMEOUT_MS: Record<string, number> = { kafka: 120_000 };

/** Started in this order; each group starts together, mongo needs postgres. */
export function stackServices(): StackService[][] {
  return [[postgresService(), redisService(), kafkaService()], [mongoService()]];
}

async function bringUp(service: StackService, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  if (service.pid() === undefined) {
    await service.start();
    log(`${service.name}: started`);
  }
  await waitUntilReady(service.name, service.logFile, () => service.probe(), {
    timeoutMs: READY_TIMEOUT_MS[service.name] ?? 60_000,
    isRunning: () => service.pid() !== undefined,
  });
  log(`${service.name}: ready (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}

export async function up(log: (line: string) => void): Promise<void> {
  mkdirSync(stackPath('run'), { recursive: true });
  const groups = stackServices();
  const all = groups.flat();
  const installStarted = Date.now();
  // Installs touch apt (one lock), mvn and go: run them one after another to keep output readable.
  for (const service of all) await service.install();
  log(`installs checked (${((Date.now() - installStarted) / 1000).toFixed(1)}s)`);
  for (const group of groups) await Promise.all(group.map((service) => bringUp(service, log)));
}

/**
 * The pid of each stack service this stack started and that still runs, by service name
 * (postgres, redis, kafka, mongo); empty where the services come from Docker. For measuring them.
 */
export function runningServicePids(): Record<string, number> {
  return Object.fromEntries(
    stackServices()
      .flat()
      .flatMap((service) => {
        const pid = service.pid();
        return pid === undefined ? [] : [[service.name, pid] as const];
      }),
  );
}

export async function down(log: (line: string) => void): Promise<void> {
  for (const service of stackServices().flat().reverse()) {
    const pid = service.pid();
    if (pid === undefined) continue;
    await stopProcess(pid);
    log(`${service.name}: stopped (pid ${pid})`);
  }
}

export async function status(): Promise<string[]> {
  return Promise.all(
    stackServices()
      .flat()
      .map(async (service) => {
        const pid = service.pid();
        const state =
          pid === undefined
            ? 'stopped'
            : await service.probe().then(
                () => `running pid ${pid}`,
                () => `started pid ${pid}, not answering`,
              );
        return `${service.name.padEnd(9)} ${state.padEnd(28)} ${service.describe()}  log ${service.logFile}`;
      }),
  );
}
