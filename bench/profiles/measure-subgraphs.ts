/**
 * CPU milliseconds per dashboard of each subgraph process, and (with --cpu-prof) their top
 * self-time frames during the measured requests only. How the numbers in
 * bench/profiles/subgraphs.md were taken:
 *
 *   npx tsx --conditions=development bench/profiles/measure-subgraphs.ts \
 *     [--baseline <root of another checkout>] [--requests 150] [--rounds 3] [--connections 1] \
 *     [--log-level info] [--cpu-prof <dir>]
 *
 * Each platform (this checkout, and the baseline checkout when given) runs its own four subgraphs
 * and its own gateway (response cache off), all on one set of the run's stores (bench/src/stores),
 * seeded once (bench/src/seed). Rounds alternate between the platforms, so before and after are
 * measured in the same minute on a shared, noisy machine. CPU is utime + stime from
 * /proc/<pid>/stat read around each platform's requests. Profile samples are kept only when their
 * timestamps (CLOCK_MONOTONIC, the same clock as process.hrtime) fall inside a measured window,
 * so start-up, compilation and seeding do not count.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stackEndpoints } from '@platform/config';
import { freePort } from '@platform/testing';
import { postGraphQL } from '../src/graphql-client.js';
import { repoRoot, tsxLoader } from '../src/paths.js';

import { DASHBOARD_QUERY } from '../src/query.js';
import { freshSecrets } from '../src/secrets.js';
import { seed } from '../src/seed.js';
import { stackUp } from '../src/stack.js';
import { createBenchStores, type BenchStores } from '../src/stores.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../src/subgraphs.js';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    requests: { type: 'string', default: '150' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '1' },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
    'worker-processes': { type: 'string', default: '1' },
  },
});
const requests = Number(args.requests);
const rounds = Number(args.rounds);
const connections = Number(args.connections);

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The process and its node:cluster children (WORKER_PROCESSES > 1), from /proc. */
function processTree(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return [pid, ...children];
}
const treeCpuMs = (pid: number) => processTree(pid).reduce((sum, each) => sum + cpuMs(each), 0);

function storeEnv(name: SubgraphName, stores: BenchStores): Record<string, string> {
  const postgresUrl = stackEndpoints().postgres.url;
  switch (name) {
    case 'user':
      return { DATABASE_URL: postgresUrl(stores.postgres.user) };
    case 'data':
      return { MONGO_DATABASE: stores.mongoDatabase };
    case 'analytics':
      return {
        DATABASE_URL: postgresUrl(stores.postgres.analytics),
        KAFKA_GROUP_ID: stores.kafkaGroups.analytics,
      };
    case 'notification':
      return {
        DATABASE_URL: postgresUrl(stores.postgres.notification),
        KAFKA_GROUP_ID: stores.kafkaGroups.notification,
      };
  }
}

interface ServiceProcess {
  pid: number;
  baseUrl: string;
  /** Where /metrics is served: the gateway's internal listener (METRICS_PORT), else the base URL. */
  metricsUrl: string;
  stop: () => Promise<void>;
}
const running: ServiceProcess[] = [];

/**
 * `node [--cpu-prof] --import tsx src/main.ts` in `cwd`, as bench/src/processes.ts runs services,
 * with the profiler flags that NODE_OPTIONS does not accept; resolves once /health/ready answers.
 */
async function startService(spec: {
  name: string;
  cwd: string;
  env: Record<string, string>;
  profileDir?: string;
}): Promise<ServiceProcess> {
  const port = await freePort();
  const metricsPort = spec.env.METRICS_PORT;
  const log = openSync(path.join(logDir, `${spec.name}.log`), 'a');
  const flags = spec.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`] : [];
  const child = spawn(process.execPath, [...flags, '--import', tsxLoader, 'src/main.ts'], {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service: ServiceProcess = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    metricsUrl: metricsPort
      ? `http://127.0.0.1:${metricsPort}/metrics`
      : `http://127.0.0.1:${port}/metrics`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  running.push(service);
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(250)) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited; see ${logDir}`);
    const ready = await fetch(`${service.baseUrl}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return service;
  }
  throw new Error(`${spec.name} not ready in 120 s; see ${logDir}`);
}

interface Platform {
  label: string;
  root: string;
  subgraphs: Record<SubgraphName, ServiceProcess>;
  gateway: ServiceProcess;
  profileDir?: string;
  windows: Array<[bigint, bigint]>;
  cpu: Record<string, number>;
}

const secrets = freshSecrets();
const logDir = mkdtempSync(path.join(os.tmpdir(), 'subgraph-cpu-'));

async function startPlatform(label: string, root: string, stores: BenchStores) {
  const profileDir = args['cpu-prof'] ? path.resolve(args['cpu-prof'], label) : undefined;
  const entries = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const dir = profileDir && path.join(profileDir, name);
      if (dir) mkdirSync(dir, { recursive: true });
      const service = await startService({
        name: `${label}-${name}`,
        cwd: path.join(root, 'subgraphs', name),
        env: {
          ...secrets,
          ...storeEnv(name, stores),
          LOG_LEVEL: args['log-level'],
          WORKER_PROCESSES: args['worker-processes'],
        },
        profileDir: dir,
      });
      return [name, service] as const;
    }),
  );
  const subgraphs = Object.fromEntries(entries) as Record<SubgraphName, ServiceProcess>;
  const gateway = await startService({
    name: `${label}-gateway`,
    cwd: path.join(root, 'gateway'),
    env: {
      ...secrets,
      ...Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [
          `SUBGRAPH_URL_${name.toUpperCase()}`,
          `${subgraphs[name].baseUrl}/graphql`,
        ]),
      ),
      SUPERGRAPH_PATH: path.join(root, 'schema', 'supergraph.graphql'),
      // The gateway serves /metrics on an internal listener of its own (two platforms run at once).
      METRICS_PORT: String(await freePort()),
      RATE_LIMIT_USER_CAPACITY: '1000000000',
      RATE_LIMIT_USER_REFILL_PER_SECOND: '1000000000',
      RESPONSE_CACHE_ENABLED: 'false',
      // The machine is shared: a slow answer must not fail the seed or a measured request.
      SUBGRAPH_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'warn',
    },
  });
  const platform: Platform = { label, root, subgraphs, gateway, profileDir, windows: [], cpu: {} };
  return platform;
}

async function dashboards(platform: Platform, token: string, count: number): Promise<number> {
  const url = `${platform.gateway.baseUrl}/graphql`;
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next++ < count) {
        const answer = await postGraphQL(url, DASHBOARD_QUERY, {}, token);
        if (answer.status !== 200 || answer.errors?.length) failures++;
      }
    }),
  );
  return failures;
}

async function measureRound(platform: Platform, token: string) {
  const pids = [
    ...SUBGRAPH_NAMES.map((name) => [name, platform.subgraphs[name].pid] as const),
    ['gateway', platform.gateway.pid] as const,
  ];
  const before = pids.map(([, pid]) => treeCpuMs(pid));
  const started = process.hrtime.bigint();
  const failures = await dashboards(platform, token, requests);
  platform.windows.push([started / 1000n, process.hrtime.bigint() / 1000n]);
  pids.forEach(([name, pid], index) => {
    platform.cpu[name] = (platform.cpu[name] ?? 0) + (treeCpuMs(pid) - before[index]!);
  });
  if (failures) process.stderr.write(`${platform.label}: ${failures} answers with errors\n`);
}

/** `mongodb/lib/...`, `packages/logger/src/index.ts`, `node:internal/...`: where a frame lives. */
function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const dependency = /.*\/node_modules\/(.*)$/.exec(path);
  if (dependency) return dependency[1]!;
  const platform = /\/((packages|subgraphs|gateway|bench)\/.*)$/.exec(path);
  return platform ? platform[1]! : path;
}

const COUNTERS =
  /^(gateway_subgraph_requests_total|\w+_reference_batches_total|\w+_(sql|store)_queries_total)(\{[^}]*\})? ([\d.e+]+)$/;

/**
 * A service's /metrics; a gateway of a checkout from before METRICS_PORT serves it on its public
 * port instead, so that is read when the internal listener is not there.
 */
async function metricsText(service: ServiceProcess): Promise<string> {
  const internal = await fetch(service.metricsUrl).catch(() => undefined);
  if (internal?.ok) return internal.text();
  return (await fetch(`${service.baseUrl}/metrics`)).text();
}

/** The counters that say how much work a dashboard causes: subgraph requests, batches, queries. */
async function workCounters(platform: Platform): Promise<Map<string, number>> {
  const counters = new Map<string, number>();
  for (const service of [platform.gateway, ...Object.values(platform.subgraphs)]) {
    const text = await metricsText(service);
    for (const line of text.split('\n')) {
      const match = COUNTERS.exec(line);
      if (match) counters.set(`${match[1]}${match[3] ?? ''}`, Number(match[4]));
    }
  }
  return counters;
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self-time share of each frame among the busy samples inside the measured windows. */
function topFrames(file: string, windows: Array<[bigint, bigint]>, limit = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const counts = new Map<string, number>();
  let busy = 0;
  let time = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index]!;
    const inWindow = windows.some(([from, to]) => time >= Number(from) && time <= Number(to));
    const frame = frames.get(nodeId);
    if (!inWindow || !frame || frame.functionName === '(idle)') return;
    busy++;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} | ${where}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const byPackage = new Map<string, number>();
  for (const [key, count] of counts) {
    const where = key.split(' | ')[1] ?? '';
    const owner = where.startsWith('node:')
      ? 'node'
      : where === ''
        ? key.split(' | ')[0]!
        : where.startsWith('@')
          ? where.split('/').slice(0, 2).join('/')
          : /^(packages|subgraphs|gateway|bench)\//.test(where)
            ? `platform ${where.split('/src/')[0]}`
            : where.split('/')[0]!;
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + count);
  }
  const share = ([key, count]: [string, number]) => ({
    frame: key,
    selfPercent: (100 * count) / busy,
  });
  return {
    frames: [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(share),
    packages: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(share),
  };
}

function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => path.join(dir, file));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

async function main() {
  await stackUp();
  const runId = `cpu${Date.now()}`;
  const stores = await createBenchStores(runId);
  const platforms: Platform[] = [];
  try {
    platforms.push(await startPlatform('after', repoRoot, stores));
    if (args.baseline) platforms.push(await startPlatform('before', args.baseline, stores));
    const world = await seed(`${platforms[0]!.gateway.baseUrl}/graphql`, { timeoutMs: 120_000 });
    const token = world.owner.token;
    for (const platform of platforms) await dashboards(platform, token, 30); // warm-up
    // What each process spends with no request at all (timers, consumers, relays), per second.
    const idleSeconds = 10;
    const idleBefore = platforms.map((platform) =>
      SUBGRAPH_NAMES.map((name) => treeCpuMs(platform.subgraphs[name].pid)),
    );
    await sleep(idleSeconds * 1000);
    platforms.forEach((platform, index) => {
      const idle = Object.fromEntries(
        SUBGRAPH_NAMES.map((name, at) => [
          name,
          Number(
            (
              (treeCpuMs(platform.subgraphs[name].pid) - idleBefore[index]![at]!) /
              idleSeconds
            ).toFixed(1),
          ),
        ]),
      );
      process.stdout.write(`${platform.label}: idle CPU ms per second ${JSON.stringify(idle)}\n`);
    });
    const countersBefore = await Promise.all(platforms.map(workCounters));
    for (let round = 0; round < rounds; round++) {
      for (const platform of round % 2 ? [...platforms].reverse() : platforms) {
        await measureRound(platform, token);
      }
    }
    for (const [index, platform] of platforms.entries()) {
      const after = await workCounters(platform);
      const perDashboard = [...after]
        .map(
          ([name, value]) =>
            [
              name,
              (value - (countersBefore[index]!.get(name) ?? 0)) / (requests * rounds),
            ] as const,
        )
        .filter(([, value]) => value > 0)
        .map(([name, value]) => `${name} ${value.toFixed(2)}`);
      process.stdout.write(`${platform.label}: per dashboard\n  ${perDashboard.join('\n  ')}\n`);
    }
    for (const platform of platforms) {
      const perDashboard = Object.fromEntries(
        Object.entries(platform.cpu).map(([name, ms]) => [
          name,
          Number((ms / (requests * rounds)).toFixed(2)),
        ]),
      );
      process.stdout.write(
        `${platform.label} (${platform.root}): CPU ms per dashboard ${JSON.stringify(perDashboard)}\n`,
      );
    }
  } finally {
    await Promise.all(running.map((service) => service.stop()));
    await stores
      .drop()
      .catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  }
  for (const platform of platforms) {
    if (!platform.profileDir) continue;
    for (const name of SUBGRAPH_NAMES) {
      const file = mainThreadProfile(path.join(platform.profileDir, name));
      if (!file) continue;
      process.stdout.write(`\n${platform.label} ${name} (${file})\n`);
      const { frames, packages } = topFrames(file, platform.windows);
      for (const { frame, selfPercent } of frames) {
        process.stdout.write(`  ${selfPercent.toFixed(1).padStart(5)}%  ${frame}\n`);
      }
      process.stdout.write('  by package:\n');
      for (const { frame, selfPercent } of packages) {
        process.stdout.write(`  ${selfPercent.toFixed(1).padStart(5)}%  ${frame}\n`);
      }
    }
  }
}

await main();
