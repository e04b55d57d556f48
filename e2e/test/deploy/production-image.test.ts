import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createTestDatabase,
  dataOf,
  eventually,
  freePort,
  postGraphQL,
  stackEndpoints,
} from '@platform/testing';
import { REPO_ROOT, SERVICES, type ServiceName } from './service-configs.js';

/**
 * The production image without Docker (no engine runs here): the Dockerfile's build stage ends
 * with deploy/image/build-production-tree.sh, and its runtime stage is that script's output run by
 * deploy/image/service.sh. This test runs the same script into a temporary directory and starts
 * what it made the way the image does: plain node (the tree has no tsx, and Node 20 runs no
 * TypeScript), production dependencies only.
 */
const run = promisify(execFile);
const tree = mkdtempSync(path.join(os.tmpdir(), 'production-tree-'));
const serviceScript = path.join(tree, 'deploy/image/service.sh');
/** What the Dockerfile's runtime stage sets for every service. */
const IMAGE_ENV = { PATH: process.env.PATH, NODE_ENV: 'production', HOST: '0.0.0.0' };

interface Manifest {
  name: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[];
}
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** The repository's workspaces by package name. */
function repoWorkspaces(): Map<string, string> {
  const dirs = ['packages', 'subgraphs'].flatMap((parent) =>
    readdirSync(path.join(REPO_ROOT, parent)).map((name) => `${parent}/${name}`),
  );
  return new Map(
    [...dirs, 'gateway']
      .filter((dir) => existsSync(path.join(REPO_ROOT, dir, 'package.json')))
      .map((dir) => [manifest(path.join(REPO_ROOT, dir)).name, dir]),
  );
}

/** The services and every workspace their production dependencies reach. */
function runtimeWorkspaces(): string[] {
  const byName = repoWorkspaces();
  const reached = new Set<string>();
  const visit = (dir: string) => {
    if (reached.has(dir)) return;
    reached.add(dir);
    for (const dependency of Object.keys(manifest(path.join(REPO_ROOT, dir)).dependencies ?? {})) {
      const workspace = byName.get(dependency);
      if (workspace) visit(workspace);
    }
  };
  for (const service of ['gateway', 'user', 'data', 'analytics', 'notification']) {
    visit(service === 'gateway' ? 'gateway' : `subgraphs/${service}`);
  }
  return [...reached].sort();
}

/** Every file an "exports" field names, whatever its subpaths and conditions. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports && typeof exports === 'object') return Object.values(exports).flatMap(exportTargets);
  return [];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

interface RunningService {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** A service of the tree started as the image starts it: `SERVICE=<name> service.sh`. */
function startService(service: ServiceName, environment: Record<string, string>): RunningService {
  const child = spawn('sh', [serviceScript], {
    env: { ...IMAGE_ENV, SERVICE: service, LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { process: child, output: () => output, exited };
}

/** The image's HEALTHCHECK for a service with this environment: its exit code. */
async function healthcheck(service: ServiceName, environment: Record<string, string>) {
  try {
    await run('sh', [serviceScript, 'healthcheck'], {
      env: { ...IMAGE_ENV, SERVICE: service, ...environment },
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

async function untilHealthy(
  service: ServiceName,
  running: RunningService,
  environment: Record<string, string>,
): Promise<void> {
  await eventually(
    async () => {
      if (running.process.exitCode !== null) {
        throw new Error(`${service} exited ${running.process.exitCode}:\n${running.output()}`);
      }
      return (await healthcheck(service, environment)) === 0 ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, what: `${service} to answer its healthcheck` },
  );
}

describe('the production image (deploy/image/build-production-tree.sh)', () => {
  beforeAll(async () => {
    await run('bash', ['deploy/image/build-production-tree.sh', tree], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
  }, 600_000);

  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('compiles every workspace the services import to JavaScript, exported as JavaScript', () => {
    const workspaces = manifest(tree).workspaces ?? [];
    expect([...workspaces].sort()).toEqual(runtimeWorkspaces());
    for (const workspace of workspaces) {
      const targets = exportTargets(manifest(path.join(tree, workspace)).exports);
      expect({ workspace, targets }).toEqual({
        workspace,
        targets: expect.arrayContaining(['./src/index.js']),
      });
      for (const target of targets) {
        expect({
          workspace,
          target,
          exists: existsSync(path.join(tree, workspace, target)),
        }).toEqual({ workspace, target: expect.stringMatching(/\.js$/), exists: true });
      }
    }
    const typescript = filesUnder(tree).filter((file) => /\.[cm]?tsx?$/.test(file));
    expect(typescript).toEqual([]);
  });

  it('holds the files the compiled code reads beside itself', () => {
    for (const file of [
      'schema/supergraph.graphql',
      'gateway/dist/explorer/manifest.json',
      'web/dist/index.html',
      'subgraphs/user/schema.graphql',
      'subgraphs/user/src/migrations/001_users.sql',
      'subgraphs/analytics/src/migrations/001_processed_events.sql',
      'subgraphs/notification/src/migrations/001_notifications.sql',
    ]) {
      expect({ file, exists: existsSync(path.join(tree, file)) }).toEqual({ file, exists: true });
    }
  });

  it('installs the production dependencies only', () => {
    const installed = (name: string, workspace = '.') =>
      existsSync(path.join(tree, workspace, 'node_modules', name)) ||
      existsSync(path.join(tree, 'node_modules', name));
    const workspaces = manifest(tree).workspaces ?? [];
    for (const workspace of workspaces) {
      const { dependencies = {} } = manifest(path.join(tree, workspace));
      for (const dependency of Object.keys(dependencies)) {
        expect({ workspace, dependency, installed: installed(dependency, workspace) }).toEqual({
          workspace,
          dependency,
          installed: true,
        });
      }
    }
    // Nothing of a workspace the image does not run (the test kit's nested dependencies).
    const folders = ['packages', 'subgraphs'].flatMap((parent) =>
      readdirSync(path.join(tree, parent)).map((name) => `${parent}/${name}`),
    );
    expect(folders.sort()).toEqual(workspaces.filter((w) => w !== 'gateway').sort());
    for (const tool of [
      'tsx',
      'typescript',
      'jest',
      '@swc/core',
      'eslint',
      'prettier',
      'esbuild',
      'vite',
      'react',
      'graphiql',
      'playwright-core',
      '@platform/testing',
      '@platform/stack',
    ]) {
      expect({ tool, installed: installed(tool) }).toEqual({ tool, installed: false });
    }
  });

  it.each(SERVICES)(
    'loads every module of %s under plain node, which then stops on its missing secrets',
    async (service) => {
      const failure = await run('sh', [serviceScript], {
        env: { ...IMAGE_ENV, SERVICE: service },
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      // A module that does not resolve fails before any code runs; the config error comes from
      // main.js itself, after every import of the service has loaded.
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('Invalid configuration');
      expect(failure?.stderr).toContain('GATEWAY_SECRET');
    },
  );

  it('refuses an unknown SERVICE, naming the choices', async () => {
    const failure = await run('sh', [serviceScript], {
      env: { ...IMAGE_ENV, SERVICE: 'billing' },
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(64);
    expect(failure?.stderr).toContain('gateway, user, data, analytics or notification');
  });

  describe('the compiled gateway and user subgraph under plain node', () => {
    const secrets = {
      JWT_SECRET: 'production-image-test-jwt-secret-0123456789',
      GATEWAY_SECRET: 'production-image-test-gateway-secret-0123456789',
    };
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    let user: RunningService | undefined;
    let gateway: RunningService | undefined;
    let userEnvironment: Record<string, string>;
    let gatewayEnvironment: Record<string, string>;
    let gatewayUrl: string;

    beforeAll(async () => {
      const stack = stackEndpoints();
      database = await createTestDatabase('production_image_user');
      const userPort = String(await freePort());
      userEnvironment = {
        ...secrets,
        PORT: userPort,
        // Not the image's 0.0.0.0: nothing outside this machine needs to reach a test.
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        KAFKA_BROKERS: stack.kafka.brokers.join(','),
      };
      user = startService('user', userEnvironment);
      await untilHealthy('user', user, userEnvironment);

      const gatewayPort = String(await freePort());
      gatewayEnvironment = {
        ...secrets,
        PORT: gatewayPort,
        HOST: '127.0.0.1',
        METRICS_PORT: String(await freePort()),
        REDIS_URL: stack.redis.url,
        KAFKA_BROKERS: stack.kafka.brokers.join(','),
        // Its invalidation consumer would join the shared stack's consumer group.
        RESPONSE_CACHE_ENABLED: 'false',
        SUBGRAPH_URL_USER: `http://127.0.0.1:${userPort}/graphql`,
      };
      gateway = startService('gateway', gatewayEnvironment);
      await untilHealthy('gateway', gateway, gatewayEnvironment);
      gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    }, 120_000);

    afterAll(async () => {
      for (const service of [gateway, user]) {
        if (service && service.process.exitCode === null) {
          service.process.kill('SIGKILL');
          await service.exited;
        }
      }
      await database?.drop();
    });

    it('serves /health/live and /health/ready, and /metrics where each serves it', async () => {
      for (const [url, path] of [
        [gatewayUrl, '/health/live'],
        [gatewayUrl, '/health/ready'],
        [`http://127.0.0.1:${userEnvironment.PORT}`, '/health/live'],
        [`http://127.0.0.1:${userEnvironment.PORT}`, '/health/ready'],
        [`http://127.0.0.1:${userEnvironment.PORT}`, '/metrics'],
        [`http://127.0.0.1:${gatewayEnvironment.METRICS_PORT}`, '/metrics'],
      ] as const) {
        expect({ path, status: (await fetch(`${url}${path}`)).status }).toEqual({
          path,
          status: 200,
        });
      }
    });

    it('serves the explorer bundle and the web app from the tree', async () => {
      const explorer = await fetch(`${gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
      expect(explorer.status).toBe(200);
      const bundle = JSON.parse(
        readFileSync(path.join(tree, 'gateway/dist/explorer/manifest.json'), 'utf8'),
      ) as { script: string };
      expect(await explorer.text()).toContain(bundle.script);
      const webApp = await fetch(`${gatewayUrl}/`, { headers: { accept: 'text/html' } });
      expect(webApp.status).toBe(200);
      expect(await webApp.text()).toBe(
        readFileSync(path.join(tree, 'web/dist/index.html'), 'utf8'),
      );
    });

    it('signs a user up and answers their own query through the gateway', async () => {
      const signUp = await postGraphQL<{ signUp: { token: string } }>(`${gatewayUrl}/graphql`, {
        query:
          'mutation ($email: String!) { signUp(email: $email, name: "Image", password: "correct horse battery") { token } }',
        variables: { email: `image-${Date.now()}@example.com` },
      });
      const { token } = dataOf({ status: signUp.status, ...signUp.body }).signUp;
      const me = await postGraphQL<{ me: { name: string } }>(
        `${gatewayUrl}/graphql`,
        { query: '{ me { name } }' },
        { authorization: `Bearer ${token}` },
      );
      expect(dataOf({ status: me.status, ...me.body })).toEqual({ me: { name: 'Image' } });
    });

    it('stops gracefully on SIGTERM, exit code 0', async () => {
      for (const service of [gateway!, user!]) {
        service.process.kill('SIGTERM');
        // Exit code 1 would mean a forced exit: the drain, Kafka leave and store closes cut off.
        expect({ code: await service.exited, output: service.output() }).toEqual({
          code: 0,
          output: expect.any(String),
        });
      }
    });
  });
});
