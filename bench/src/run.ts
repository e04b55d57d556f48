/**
 * `npm run bench`: one federated query served by the platform gateway (a, a2 with two processes,
 * a+dedup, b with its response cache warm), stock Apollo gateway + server (c), a bare HTTP server
 * answering the same bytes (d) and Hive Gateway (e, e+dedup, e+cache); all behind the same
 * subgraph processes, under the same load, one after another, at each data scale (the seed, then
 * 10x and 100x as much of other users' data) and each connection count, with the CPU time of every
 * process per request. Writes bench/results/<YYYY-MM-DD>.json and regenerates BENCHMARKS.md.
 *
 * `npm run bench -- abuse` runs only the abuse soak instead (bench/src/abuse/soak.ts), and
 * `npm run bench -- live` only issue 16's live delivery benchmark (bench/src/live/run-live.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stackEndpoints } from '@platform/config';
import { stackProcesses } from './cpu/meter.js';
import type { MeasuredProcess } from './cpu/per-request.js';
import type { GraphQLAnswer } from './graphql-client.js';
import { insertDocumentsDirectly } from './direct-documents.js';
import { growOtherUsers } from './grow.js';
import { abuseSoak } from './abuse/soak.js';
import { liveBench } from './live/run-live.js';
import { commandLine } from './command-line.js';
import { progressWhileWaiting, startBenchPlatform } from './bench-platform.js';
import { describeMachine } from './machine.js';
import { measureTarget } from './measure-target.js';
import { resultsDir } from './paths.js';
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
import { runToCompletion } from './run-lifecycle.js';
import { otherDataAt } from './scales.js';
import { seed } from './seed.js';
import { measureSdk } from './sdk/measure-sdk.js';
import { measureWeb } from './web/measure-web.js';
import { loadBenchSettings } from './settings.js';
import { startPlatformGateway, TARGETS, WRITER_GATEWAY_ENV } from './targets.js';
import type { BenchUser } from './world-api.js';

/** The full benchmark (no argument, or `full`). */
async function fullBench(): Promise<void> {
  const settings = loadBenchSettings();
  const startedAt = new Date();

  const runId = String(startedAt.getTime());
  const { logDir, stores, subgraphs, context } = await startBenchPlatform(runId);
  progress('seeding through the gateway');
  const seedGateway = await startPlatformGateway(context, {
    name: 'gateway-seed',
    responseCache: false,
    env: WRITER_GATEWAY_ENV,
  });
  const world = await seed(`${seedGateway.baseUrl}/graphql`, {
    timeoutMs: settings.seedTimeoutMs,
    onWait: progressWhileWaiting('analytics and notification to catch up with the seed'),
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
        onWait: progressWhileWaiting(`analytics to count the new documents`),
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

const MODES: Record<string, () => Promise<void>> = {
  full: fullBench,
  abuse: abuseSoak,
  live: liveBench,
};
const mode = process.argv[2] ?? 'full';
const run = MODES[mode];
if (run) {
  await runToCompletion(run);
} else {
  progress(
    `unknown benchmark '${mode}': run \`npm run bench\` (the full benchmark) \`npm run bench -- abuse\` (the abuse soak) or \`npm run bench -- live\` (live delivery)`,
  );
  process.exitCode = 2;
}
