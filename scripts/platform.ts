/**
 * `npm start` runs this after start.sh has brought the stack up: every service of the platform as
 * a supervised child process in this terminal, JSON logs interleaved on stdout (this script's own
 * lines are `"service":"platform"`). The subgraphs start first; the gateway starts once they
 * answer /health/ready, so its first requests do not meet subgraphs still starting. A service
 * that dies is restarted with backoff while the others keep serving (superviseServiceProcess in
 * @platform/subgraph-server).
 * Ctrl-C (or SIGTERM) stops them all gracefully; the exit code is 0 when every one stopped cleanly.
 *
 * Secrets shared between the services (JWT_SECRET, GATEWAY_SECRET) come from the environment;
 * when unset, development values are generated once into .stack/dev-secrets.json so tokens stay
 * valid across restarts. Production sets them explicitly.
 *
 * `PLATFORM_<SERVICE>_<NAME>=value` sets `<NAME>` for that one service (e.g.
 * `PLATFORM_NOTIFICATION_DATABASE_URL`), for settings whose name the services share.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { createLogger } from '@platform/logger';
import { superviseServiceProcess, type SupervisedService } from '@platform/subgraph-server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const config = loadConfig(
  z.object({
    USER_PORT: env.port(4001),
    DATA_PORT: env.port(4002),
    ANALYTICS_PORT: env.port(4003),
    NOTIFICATION_PORT: env.port(4004),
    GATEWAY_PORT: env.port(4000),
    PLATFORM_CRASH_LOOP_AFTER: z.coerce.number().int().min(1).default(5),
    PLATFORM_READY_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    PLATFORM_STOP_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    LOG_LEVEL: env.logLevel,
  }),
);
const logger = createLogger('platform', { level: config.LOG_LEVEL });

const subgraphs = [
  { name: 'user', workspace: 'subgraphs/user', port: config.USER_PORT },
  { name: 'data', workspace: 'subgraphs/data', port: config.DATA_PORT },
  { name: 'analytics', workspace: 'subgraphs/analytics', port: config.ANALYTICS_PORT },
  { name: 'notification', workspace: 'subgraphs/notification', port: config.NOTIFICATION_PORT },
];
const gatewaySpec = { name: 'gateway', workspace: 'gateway', port: config.GATEWAY_PORT };

function developmentSecrets(): Record<string, string> {
  const file = path.join(process.env.STACK_DIR ?? path.join(root, '.stack'), 'dev-secrets.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const secrets = {
      JWT_SECRET: randomBytes(32).toString('base64url'),
      GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    };
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** The `PLATFORM_<SERVICE>_` variables of one service, without the prefix. */
function ownSettings(service: string): Record<string, string> {
  const prefix = `PLATFORM_${service.toUpperCase()}_`;
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([name, value]) => name.startsWith(prefix) && value !== undefined)
      .map(([name, value]) => [name.slice(prefix.length), value as string]),
  );
}

const sharedEnv = { ...developmentSecrets(), ...process.env };
const subgraphUrls = Object.fromEntries(
  subgraphs.map((service) => [
    `SUBGRAPH_URL_${service.name.toUpperCase()}`,
    `http://127.0.0.1:${service.port}/graphql`,
  ]),
);
const policy = {
  crashLoopAfter: config.PLATFORM_CRASH_LOOP_AFTER,
  readyTimeoutMs: config.PLATFORM_READY_TIMEOUT_MS,
  stopTimeoutMs: config.PLATFORM_STOP_TIMEOUT_MS,
};
const supervise = (spec: { name: string; workspace: string; port: number }) =>
  superviseServiceProcess(
    {
      name: spec.name,
      cwd: path.join(root, spec.workspace),
      port: spec.port,
      env: { ...sharedEnv, ...subgraphUrls, ...ownSettings(spec.name), PORT: String(spec.port) },
    },
    logger,
    policy,
  );

const running: SupervisedService[] = [];
let stopping: Promise<void> | undefined;

const stopAll = (signal: NodeJS.Signals) =>
  (stopping ??= (async () => {
    logger.info({ signal }, 'stopping the platform');
    // The gateway first, so it stops taking requests before the subgraphs behind it go.
    const gateway = running.filter((service) => service.name === 'gateway');
    const others = running.filter((service) => service.name !== 'gateway');
    const cleanly = [
      ...(await Promise.all(gateway.map((service) => service.stop()))),
      ...(await Promise.all(others.map((service) => service.stop()))),
    ];
    const clean = cleanly.every(Boolean);
    logger.info({ clean }, 'platform stopped');
    process.exit(clean ? 0 : 1);
  })());

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, 'already stopping; the services get SIGKILL past their stop timeout');
      return;
    }
    void stopAll(signal);
  });
}

const started = subgraphs.map(supervise);
running.push(...started);
await Promise.all(started.map((service) => service.start()));
if (!stopping) {
  const gateway = supervise(gatewaySpec);
  running.push(gateway);
  await gateway.start();
  if (!stopping) {
    logger.info(
      {
        gatewayUrl: `http://127.0.0.1:${config.GATEWAY_PORT}/graphql`,
        pids: Object.fromEntries(running.map((service) => [service.name, service.pid])),
      },
      'platform ready (Ctrl-C stops everything)',
    );
  }
}
