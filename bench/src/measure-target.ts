import type { GraphQLAnswer } from './graphql-client.js';
import { runLoad } from './load.js';
import { progress } from './progress.js';
import { DASHBOARD_QUERY } from './query.js';
import type { TargetResult } from './report/results.js';
import type { BenchSettings } from './settings.js';
import type { Target, TargetContext } from './targets.js';
import { askDashboard, askDashboardUntilClean, expectSameData } from './verify.js';

export interface MeasureOptions {
  target: Target;
  context: TargetContext;
  settings: BenchSettings;
  /** The benchmark user's access token, sent with every request. */
  token: string;
  /** (a)'s answer, which every later target must match; undefined while measuring (a). */
  reference?: GraphQLAnswer;
}

/**
 * One target, start to finish: a fresh process, a check that it answers the query with the
 * reference data, a discarded warm-up, the measured run, the same check again (a cache must not
 * serve anything else under load), its peak memory, and a stop.
 */
export async function measureTarget({
  target,
  context,
  settings,
  token,
  reference,
}: MeasureOptions): Promise<{ result: TargetResult; answer: GraphQLAnswer }> {
  const label = `(${target.id})`;
  progress(`${label} ${target.name}: starting`);
  const service = await target.start(context);
  try {
    const url = `${service.baseUrl}/graphql`;
    const answer = await askDashboard(url, token, label);
    if (reference) expectSameData(reference, answer, label);

    const load = {
      url,
      body: JSON.stringify({ query: DASHBOARD_QUERY, variables: {} }),
      headers: { authorization: `Bearer ${token}` },
      connections: settings.connections,
    };
    progress(`${label} warm-up, ${settings.warmupSeconds} s`);
    await runLoad({ ...load, durationSeconds: settings.warmupSeconds });
    progress(
      `${label} measuring, ${settings.durationSeconds} s x ${settings.connections} connections`,
    );
    const measured = await runLoad({ ...load, durationSeconds: settings.durationSeconds });

    progress(
      `${label} ${measured.requestsPerSecond.toFixed(1)} requests/s ` +
        `(${measured.cleanAnswersPerSecond.toFixed(1)} clean), p50 ${measured.latencyP50Ms} ms, ` +
        `p99 ${measured.latencyP99Ms} ms, non-2xx ${measured.non2xx}, ` +
        `error answers ${measured.errorAnswers}, errors ${measured.errors}`,
    );
    const after = await askDashboardUntilClean(url, token, `${label} after its run`);
    expectSameData(reference ?? answer, after, `${label} after its run`);
    const peakMemoryBytes = service.peakMemoryBytes() ?? null;
    const responseHeaders = Object.fromEntries(
      Object.entries(after.headers).filter(([name]) => name !== 'date'),
    );
    return {
      answer,
      result: {
        id: target.id,
        name: target.name,
        description: target.description,
        ...measured,
        peakMemoryBytes,
        responseHeaders,
      },
    };
  } finally {
    await service.stop();
  }
}
