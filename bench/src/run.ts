/**
 * `npm run bench`: one federated query served by the platform gateway (a, a2 with two processes,
 * a+dedup, b with its response cache warm), stock Apollo gateway + server (c), a bare HTTP server
 * answering the same bytes (d) and Hive Gateway (e, e+dedup, e+cache); all behind the same
 * subgraph processes, under the same load, one after another, at each data scale (the seed, then
 * 10x and 100x as much of other users' data) and each connection count, with the CPU time of every
 * process per request. Writes bench/results/<YYYY-MM-DD>.json and regenerates BENCHMARKS.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stackEndpoints } from '@platform/config';
import { stackProcesses } from './cpu/meter.js';
import type { MeasuredProcess } from './cpu/per-request.js';
import type { GraphQLAnswer } from './graphql-client.js';
import { insertDocumentsDirectly } from './direct-documents.js';
import { growOtherUsers } from './grow.js';
import { describeMachine } from './machine.js';
import { measureTarget } from './measure-target.js';
import { resultsDir } from './paths.js';
import { stopAllServices } from './processes.js';
import { progress } from './progress.js';
import { DASHBOARD_QUERY, SEED_SHAPE } from './query.js';
import { regenerateBenchmarksMarkdown } from './report/benchmarks-markdown.js';
import { judgeGoals } from './report/goals.js';
import {
  RESULTS_VERSION,
  writeResults,
  type BenchResults,
  type RunResult,
  type ScaleInfo,
} from './report/results.js';
import { summaryText } from './report/summary.js';
import { otherDataAt } from './scales.js';
import { freshSecrets } from './secrets.js';
import { seed } from './seed.js';
import { measureSdk } from './sdk/measure-sdk.js';
import { measureWeb } from './web/measure-web.js';
import { loadBenchSettings } from './settings.js';
import { stackUp } from './stack.js';
import { createBenchStores } from './stores.js';
import { startSubgraphs } from './subgraphs.js';
import {
  startPlatformGateway,
  TARGETS,
  WRITER_GATEWAY_ENV,
  type TargetContext,
} from './targets.js';
import type { BenchUser } from './world-api.js';

function message(error: unknown): string {
  if (error instanceof AggregateError) {
    return `${error.message}: ${error.errors.map(message).join('; ')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Steps that undo what the run created, newest first; run once, on success, failure or Ctrl-C. */
const undoSteps: Array<{ what: string; step: () => Promise<void> }> = [];

async function undoAll(): Promise<void> {
  await stopAllServices().catch((error: unknown) =>
    progress(`stopping services: ${message(error)}`),
  );
  for (const { what, step } of undoSteps.splice(0).reverse()) {
    progress(what);
    await step().catch((error: unknown) => progress(`${what} failed: ${message(error)}`));
  }
}

/**
 * The command as typed, with the variables that changed the run: the bench's own, and gateway
 * policy settings the services inherit (SUBGRAPH_TIMEOUT_MS, say); the ones the bench sets itself
 * for every service (ports, stores, secrets, subgraph URLs) are not inherited.
 */
function commandLine(): string {
  const variables = Object.entries(process.env)
    .filter(([name]) =>
      /^(BENCH|SUBGRAPH|RATE_LIMIT|RESPONSE_CACHE|MAX|COST|WORKER|OPERATION_DEDUP)_/.test(name),
    )
    .filter(([name]) => !name.startsWith('SUBGRAPH_URL_'))
    .map(([name, value]) => `${name}=${value}`);
  const command =
    process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : 'npx tsx bench/src/run.ts';
  return [...variables, command].join(' ');
}

async function main(): Promise<void> {
  const settings = loadBenchSettings();
  const startedAt = new Date();

  progress('bringing the stack up');
  await stackUp();

  const runId = String(startedAt.getTime());
  const logDir = mkdtempSync(path.join(os.tmpdir(), `bench-${runId}-`));
  progress(`service logs: ${logDir}`);
  const secrets = freshSecrets();

  progress(`creating the run's databases and consumer groups (bench_*_${runId})`);
  const stores = await createBenchStores(runId);
  undoSteps.push({ what: 'dropping the bench databases and consumer groups', step: stores.drop });

  progress('starting the four subgraphs');
  const subgraphs = await startSubgraphs({
    stores,
    secrets,
    postgresUrl: stackEndpoints().postgres.url,
    logDir,
  });
  undoSteps.push({ what: 'stopping the subgraphs', step: subgraphs.stop });

  const context: TargetContext = { secrets, subgraphUrls: subgraphs.urls, logDir, benchUserId: '' };
  const onWait = (what: string) => {
    let lastNote = 0;
    return (elapsedMs: number) => {
      if (elapsedMs - lastNote < 5000) return;
      lastNote = elapsedMs;
      progress(`waiting for ${what} (${Math.round(elapsedMs / 1000)} s)`);
    };
  };
  progress('seeding through the gateway');
  const seedGateway = await startPlatformGateway(context, {
    name: 'gateway-seed',
    responseCache: false,
    env: WRITER_GATEWAY_ENV,
  });
  const world = await seed(`${seedGateway.baseUrl}/graphql`, {
    timeoutMs: settings.seedTimeoutMs,
    onWait: onWait('analytics and notification to catch up with the seed'),
  }).finally(() => seedGateway.stop());
  context.benchUserId = world.owner.id;

  const behind: MeasuredProcess[] = [
    ...subgraphs.processes.map((service): MeasuredProcess => ({
      name: service.name,
      role: 'subgraph',
      roots: [service.pid],
      inTotal: true,
    })),
    ...stackProcesses(),
  ];
  progress(`measuring CPU of: target, ${behind.map(({ name }) => name).join(', ')}`);

  const targets = TARGETS.filter((target) => settings.targets.includes(target.id)).sort(
    (one, other) => settings.targets.indexOf(one.id) - settings.targets.indexOf(other.id),
  );
  const scales: ScaleInfo[] = [];
  const runs: RunResult[] = [];
  let others: BenchUser[] = [];
  let reference: GraphQLAnswer | undefined;
  for (const [scaleIndex, scale] of settings.scales.entries()) {
    const other = otherDataAt(scale, SEED_SHAPE);
    let growth = { writeSeconds: 0, catchUpSeconds: 0 };
    if (other.users > others.length) {
      progress(
        `growing to ${scale}: ${other.users} other users, ${other.projects} projects, ${other.documents} documents (${settings.growVia === 'api' ? 'through the gateway' : 'documents through the mongodb driver'}), ${settings.growConcurrency} requests in flight`,
      );
      const growGateway = await startPlatformGateway(context, {
        name: `gateway-grow-${scale}`,
        responseCache: false,
        env: WRITER_GATEWAY_ENV,
      });
      const grown = await growOtherUsers(`${growGateway.baseUrl}/graphql`, {
        existing: others,
        target: other,
        concurrency: settings.growConcurrency,
        timeoutMs: settings.seedTimeoutMs,
        onWait: onWait(`analytics to count the new documents`),
        ...(settings.growVia === 'driver'
          ? {
              insertDocuments: (documents) =>
                insertDocumentsDirectly(
                  stackEndpoints().mongo.url,
                  stores.mongoDatabase,
                  documents,
                ),
            }
          : {}),
      }).finally(() => growGateway.stop());
      others = grown.users;
      growth = { writeSeconds: grown.writeSeconds, catchUpSeconds: grown.catchUpSeconds };
      progress(
        `grown to ${scale} in ${grown.writeSeconds.toFixed(1)} s, consumers caught up ${grown.catchUpSeconds.toFixed(1)} s later`,
      );
    }
    scales.push({ id: scale, other, ...growth });

    for (const target of targets) {
      if (target.firstScaleOnly && scaleIndex > 0) continue;
      const measured = await measureTarget({
        target,
        context,
        settings,
        scale,
        token: world.owner.token,
        reference,
        behind,
      });
      runs.push(...measured.runs);
      if (!reference) {
        reference = measured.answer;
        context.capturedBodyFile = path.join(logDir, 'dashboard-response.json');
        writeFileSync(context.capturedBodyFile, measured.answer.body);
      }
    }
  }

  const results: BenchResults = {
    version: RESULTS_VERSION,
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: commandLine(),
    machine: describeMachine(),
    settings: {
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      growConcurrency: settings.growConcurrency,
      growVia: settings.growVia,
    },
    workload: {
      query: DASHBOARD_QUERY,
      responseBytes: Buffer.byteLength(reference?.body ?? ''),
      seed: { ...SEED_SHAPE },
      scales,
    },
    targets: targets.map(({ id, name, description }) => ({ id, name, description })),
    runs,
    goals: judgeGoals(runs),
  };
  const file = await writeResults(resultsDir, results);
  progress(`results: ${file}`);
  progress('measuring the SDK (bundle size, overhead per query)');
  progress(`SDK results: ${(await measureSdk()).file}`);
  progress('measuring the web app (initial JS, sign-in to dashboard in headless Chromium)');
  const webGateway = await startPlatformGateway(context, {
    name: 'gateway-web',
    responseCache: true,
  });
  try {
    progress(`web app results: ${(await measureWeb(webGateway.baseUrl, world.owner)).file}`);
  } finally {
    await webGateway.stop();
  }
  await regenerateBenchmarksMarkdown();
  progress('BENCHMARKS.md regenerated');
  process.stdout.write(summaryText(results));
}

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  progress('interrupted; cleaning up');
  void undoAll().finally(() => process.exit(130));
});

try {
  await main();
} catch (error) {
  if (!interrupted)
    progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await undoAll();
}
