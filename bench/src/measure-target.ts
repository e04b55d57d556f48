import { setTimeout as sleep } from 'node:timers/promises';
import { startCpuWindow } from './cpu/meter.js';
import type { MeasuredProcess } from './cpu/per-request.js';
import type { GraphQLAnswer } from './graphql-client.js';
import { runLoad } from './load.js';
import { progress } from './progress.js';
import { DASHBOARD_QUERY } from './query.js';
import type { RunResult } from './report/results.js';
import type { ScaleId } from './scales.js';
import type { BenchSettings } from './settings.js';
import type { Target, TargetContext } from './targets.js';
import { askDashboard, askDashboardUntilClean, expectSameData } from './verify.js';

/** Bounds of the pause after a warm-up (its p99 latency). */
const MIN_DRAIN_MS = 500;
const MAX_DRAIN_MS = 10_000;

export interface MeasureOptions {
  target: Target;
  context: TargetContext;
  settings: BenchSettings;
  scale: ScaleId;
  /** The benchmark user's access token, sent with every request. */
  token: string;
  /** (a)'s answer at the first scale, which every target must match at every scale. */
  reference?: GraphQLAnswer;
  /** The processes behind every target (subgraphs, stores), measured with the target's own. */
  behind: MeasuredProcess[];
}

function describeRun(label: string, run: RunResult): string {
  const cpu = run.cpu
    ? `, CPU/request: target ${run.cpu.targetMs.toFixed(1)} ms, subgraphs ${run.cpu.subgraphsMs.toFixed(1)} ms, total ${run.cpu.totalMs.toFixed(1)} ms`
    : '';
  return (
    `${label} ${run.requestsPerSecond.toFixed(1)} requests/s ` +
    `(${run.cleanAnswersPerSecond.toFixed(1)} clean), p50 ${run.latencyP50Ms} ms, ` +
    `p99 ${run.latencyP99Ms} ms, non-2xx ${run.non2xx}, ` +
    `error answers ${run.errorAnswers}, errors ${run.errors}${cpu}`
  );
}

/**
 * One target at one scale, start to finish: a fresh process, a check that it answers the query
 * with the reference data, then for each connection count a discarded warm-up, the measured run
 * with every process's CPU time read just before and after it, and the same check again (a cache
 * must not serve anything else under load); its peak memory; a stop.
 */
export async function measureTarget({
  target,
  context,
  settings,
  scale,
  token,
  reference,
  behind,
}: MeasureOptions): Promise<{ runs: RunResult[]; answer: GraphQLAnswer }> {
  const label = `(${target.id}) at ${scale}`;
  progress(`${label} ${target.name}: starting`);
  const service = await target.start(context);
  try {
    const url = `${service.baseUrl}/graphql`;
    const answer = await askDashboard(url, token, label);
    if (reference) expectSameData(reference, answer, label);
    const measured: MeasuredProcess[] = [
      { name: 'target', role: 'target', roots: [service.pid], inTotal: true },
      ...behind,
    ];

    const runs: RunResult[] = [];
    for (const connections of settings.connections) {
      const load = {
        url,
        body: JSON.stringify({ query: DASHBOARD_QUERY, variables: {} }),
        headers: { authorization: `Bearer ${token}` },
        connections,
      };
      const runLabel = `${label} x ${connections}`;
      progress(`${runLabel} warm-up, ${settings.warmupSeconds} s`);
      const warmup = await runLoad({ ...load, durationSeconds: settings.warmupSeconds });
      // The load generator drops the warm-up's requests still in flight; the target still works on
      // them. Wait them out, so their CPU is not billed to the measured window.
      await sleep(Math.min(Math.max(warmup.latencyP99Ms, MIN_DRAIN_MS), MAX_DRAIN_MS));
      progress(`${runLabel} measuring, ${settings.durationSeconds} s`);
      const window = startCpuWindow(measured);
      const result = await runLoad({ ...load, durationSeconds: settings.durationSeconds });
      const cpu = result.totalRequests > 0 ? window.finish(result.totalRequests) : null;

      const after = await askDashboardUntilClean(url, token, `${runLabel} after its run`);
      expectSameData(reference ?? answer, after, `${runLabel} after its run`);
      const run: RunResult = {
        target: target.id,
        scale,
        connections,
        ...result,
        cpu,
        peakMemoryBytes: service.peakMemoryBytes() ?? null,
        responseHeaders: Object.fromEntries(
          Object.entries(after.headers).filter(([name]) => name !== 'date'),
        ),
      };
      progress(describeRun(runLabel, run));
      runs.push(run);
    }
    return { runs, answer };
  } finally {
    await service.stop();
  }
}
