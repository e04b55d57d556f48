/**
 * `npm start` runs this after start.sh has brought the stack up: every service of the platform as
 * a child process in this terminal, JSON logs interleaved on stdout. Ctrl-C (or SIGTERM) stops
 * them all gracefully; if one service dies, the others are stopped and the exit code says so.
 *
 * Secrets shared between the services (JWT_SECRET, GATEWAY_SECRET) come from the environment;
 * when unset, development values are generated once into .stack/dev-secrets.json so tokens stay
 * valid across restarts. Production sets them explicitly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface ServiceSpec {
  name: string;
  workspace: string;
  port: number;
}

const services: ServiceSpec[] = [
  { name: 'user', workspace: 'subgraphs/user', port: Number(process.env.USER_PORT ?? 4001) },
  { name: 'data', workspace: 'subgraphs/data', port: Number(process.env.DATA_PORT ?? 4002) },
  {
    name: 'analytics',
    workspace: 'subgraphs/analytics',
    port: Number(process.env.ANALYTICS_PORT ?? 4003),
  },
  {
    name: 'notification',
    workspace: 'subgraphs/notification',
    port: Number(process.env.NOTIFICATION_PORT ?? 4004),
  },
  { name: 'gateway', workspace: 'gateway', port: Number(process.env.GATEWAY_PORT ?? 4000) },
];

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

const sharedEnv = { ...developmentSecrets(), ...process.env };
const subgraphUrls = Object.fromEntries(
  services
    .filter((service) => service.name !== 'gateway')
    .map((service) => [
      `SUBGRAPH_URL_${service.name.toUpperCase()}`,
      `http://127.0.0.1:${service.port}/graphql`,
    ]),
);

const children = new Map<string, ChildProcess>();
let stopping = false;

function stopAll(exitCode: number) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  for (const child of children.values()) child.kill('SIGTERM');
}

for (const service of services) {
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'src/main.ts'],
    {
      cwd: path.join(root, service.workspace),
      env: { ...sharedEnv, ...subgraphUrls, PORT: String(service.port) },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  children.set(service.name, child);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(`[platform] ${service.name} exited (${signal ?? code}); stopping the others`);
      stopAll(1);
    }
  });
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const gatewayPort = services.find((service) => service.name === 'gateway')!.port;
console.log(
  `[platform] gateway: http://127.0.0.1:${gatewayPort}/graphql (Ctrl-C stops everything)`,
);
