import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stackEndpoints } from '@platform/config';
import { progress } from './progress.js';
import { onUndo } from './run-lifecycle.js';
import { freshSecrets } from './secrets.js';
import { stackUp } from './stack.js';
import { createBenchStores, type BenchStores } from './stores.js';
import { startSubgraphs, type RunningSubgraphs } from './subgraphs.js';
import type { TargetContext } from './targets.js';

/** What every benchmark runs against: the stack, the run's own stores, the four subgraphs. */
export interface BenchPlatform {
  logDir: string;
  stores: BenchStores;
  subgraphs: RunningSubgraphs;
  /** What gateways are started with; `benchUserId` is set once the world is seeded. */
  context: TargetContext;
}

/**
 * Brings the stack up, creates the run's databases and consumer groups and starts the four
 * subgraphs on them, each registered to be undone when the run ends.
 */
export async function startBenchPlatform(
  runId: string,
  logPrefix = 'bench',
): Promise<BenchPlatform> {
  progress('bringing the stack up');
  await stackUp();

  const logDir = mkdtempSync(path.join(os.tmpdir(), `${logPrefix}-${runId}-`));
  progress(`service logs: ${logDir}`);
  const secrets = freshSecrets();

  progress(`creating the run's databases and consumer groups (bench_*_${runId})`);
  const stores = await createBenchStores(runId);
  onUndo('dropping the bench databases and consumer groups', stores.drop);

  progress('starting the four subgraphs');
  const subgraphs = await startSubgraphs({
    stores,
    secrets,
    postgresUrl: stackEndpoints().postgres.url,
    logDir,
  });
  onUndo('stopping the subgraphs', subgraphs.stop);

  const context: TargetContext = { secrets, subgraphUrls: subgraphs.urls, logDir, benchUserId: '' };
  return { logDir, stores, subgraphs, context };
}

/** A progress note every 5 s while waiting for `what`. */
export function progressWhileWaiting(what: string): (elapsedMs: number) => void {
  let lastNote = 0;
  return (elapsedMs: number) => {
    if (elapsedMs - lastNote < 5000) return;
    lastNote = elapsedMs;
    progress(`waiting for ${what} (${Math.round(elapsedMs / 1000)} s)`);
  };
}
