/**
 * `npm run bench`: one federated query served by (a) the platform gateway, (b) the same with its
 * response cache warm, (c) stock Apollo gateway + server, (d) a bare HTTP server answering the
 * same bytes; all behind the same subgraph processes, under the same load, one after another.
 * Writes bench/results/<YYYY-MM-DD>.json and regenerates BENCHMARKS.md from the newest results.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stackEndpoints } from '@platform/config';
import type { GraphQLAnswer } from './graphql-client.js';
import { describeMachine } from './machine.js';
import { measureTarget } from './measure-target.js';
import { resultsDir } from './paths.js';
import { stopAllServices } from './processes.js';
import { progress } from './progress.js';
import { DASHBOARD_QUERY, SEED_SHAPE } from './query.js';
import { regenerateBenchmarksMarkdown } from './report/benchmarks-markdown.js';
import { judgeGoals } from './report/goals.js';
import { writeResults, type BenchResults, type TargetResult } from './report/results.js';
import { summaryText } from './report/summary.js';
import { freshSecrets } from './secrets.js';
import { seed } from './seed.js';
import { measureSdk } from './sdk/measure-sdk.js';
import { loadBenchSettings } from './settings.js';
import { stackUp } from './stack.js';
import { createBenchStores } from './stores.js';
import { startSubgraphs } from './subgraphs.js';
import { startPlatformGateway, TARGETS, type TargetContext } from './targets.js';

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
    .filter(([name]) => /^(BENCH|SUBGRAPH|RATE_LIMIT|RESPONSE_CACHE|MAX|COST)_/.test(name))
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
  progress('seeding through the gateway');
  const seedGateway = await startPlatformGateway(context, {
    name: 'gateway-seed',
    responseCache: false,
  });
  let lastWaitNote = 0;
  const world = await seed(`${seedGateway.baseUrl}/graphql`, {
    timeoutMs: settings.seedTimeoutMs,
    onWait: (elapsedMs) => {
      if (elapsedMs - lastWaitNote < 5000) return;
      lastWaitNote = elapsedMs;
      progress(
        `waiting for analytics and notification to catch up (${Math.round(elapsedMs / 1000)} s)`,
      );
    },
  }).finally(() => seedGateway.stop());
  context.benchUserId = world.owner.id;

  const targets: TargetResult[] = [];
  let reference: GraphQLAnswer | undefined;
  for (const target of TARGETS) {
    const { result, answer } = await measureTarget({
      target,
      context,
      settings,
      token: world.owner.token,
      reference,
    });
    targets.push(result);
    if (!reference) {
      reference = answer;
      context.capturedBodyFile = path.join(logDir, 'dashboard-response.json');
      writeFileSync(context.capturedBodyFile, answer.body);
    }
  }

  const results: BenchResults = {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: commandLine(),
    machine: describeMachine(),
    settings: {
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
    },
    workload: {
      query: DASHBOARD_QUERY,
      responseBytes: Buffer.byteLength(reference?.body ?? ''),
      seed: { ...SEED_SHAPE },
    },
    targets,
    ...judgeGoals(targets),
  };
  const file = await writeResults(resultsDir, results);
  progress(`results: ${file}`);
  progress('measuring the SDK (bundle size, overhead per query)');
  progress(`SDK results: ${(await measureSdk()).file}`);
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
