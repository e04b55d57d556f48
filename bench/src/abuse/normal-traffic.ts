import { performance } from 'node:perf_hooks';
import { percentile, roundMs } from './latency.js';
import { count, errorCodesOf, type Tally } from './tally.js';

/** What one stream of normal requests got during a phase. */
export interface StreamResult {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers that were not a clean 200 with data and no errors (failed connections included). */
  failed: number;
  /** Non-2xx answers by status. */
  statuses: Tally;
  /** GraphQL errors by `extensions.code`, over every answer. */
  errorCodes: Tally;
  /** Requests that got no answer (connection refused or reset, or no answer in 30 s). */
  noAnswer: number;
}

export interface NormalTrafficResult {
  /** The dashboard (bench/src/query.ts), from several closed-loop connections. */
  dashboards: StreamResult;
  /** `{ me { id } }`, one at a time: issue 12's victim. */
  me: StreamResult;
}

const REQUEST_TIMEOUT_MS = 30_000;

class StreamRecorder {
  private readonly latencies: number[] = [];
  private failed = 0;
  private noAnswer = 0;
  private readonly statuses: Tally = {};
  private readonly errorCodes: Tally = {};

  answered(ms: number, status: number, body: string): void {
    this.latencies.push(ms);
    let parsed: { data?: unknown; errors?: unknown } | undefined;
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      // Not JSON: counted as failed below.
    }
    const codes = errorCodesOf(parsed?.errors);
    for (const code of codes) count(this.errorCodes, code);
    if (status < 200 || status > 299) count(this.statuses, String(status));
    if (status !== 200 || codes.length > 0 || !parsed?.data) this.failed += 1;
  }

  unanswered(ms: number): void {
    this.latencies.push(ms);
    this.noAnswer += 1;
    this.failed += 1;
  }

  result(): StreamResult {
    return {
      requests: this.latencies.length,
      p50Ms: roundMs(percentile(this.latencies, 50)),
      p99Ms: roundMs(percentile(this.latencies, 99)),
      maxMs: roundMs(percentile(this.latencies, 100)),
      failed: this.failed,
      statuses: this.statuses,
      errorCodes: this.errorCodes,
      noAnswer: this.noAnswer,
    };
  }
}

/**
 * `connections` closed loops, each sending `body` again as soon as the answer is read. Written with
 * fetch rather than autocannon (bench/src/load.ts) because every answer's GraphQL error codes are
 * counted, and both streams must be measured the same way while an attack runs beside them.
 */
function closedLoops(
  url: string,
  body: string,
  token: string,
  connections: number,
  recorder: StreamRecorder,
  stopped: () => boolean,
): Promise<void[]> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const loop = async () => {
    while (!stopped()) {
      const started = performance.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        recorder.answered(performance.now() - started, response.status, text);
      } catch {
        recorder.unanswered(performance.now() - started);
      }
    }
  };
  return Promise.all(Array.from({ length: connections }, loop));
}

/**
 * Normal traffic until `stop`: the victim's dashboards on `dashboardConnections` connections and
 * its `{ me { id } }` loop, each request timed from send to the last byte of the answer.
 */
export function startNormalTraffic({
  url,
  token,
  dashboardQuery,
  dashboardConnections,
}: {
  url: string;
  token: string;
  dashboardQuery: string;
  dashboardConnections: number;
}): { stop: () => Promise<NormalTrafficResult> } {
  let stopped = false;
  const dashboards = new StreamRecorder();
  const me = new StreamRecorder();
  const running = Promise.all([
    closedLoops(
      url,
      JSON.stringify({ query: dashboardQuery, variables: {} }),
      token,
      dashboardConnections,
      dashboards,
      () => stopped,
    ),
    closedLoops(url, JSON.stringify({ query: '{ me { id } }' }), token, 1, me, () => stopped),
  ]);
  return {
    async stop() {
      stopped = true;
      await running;
      return { dashboards: dashboards.result(), me: me.result() };
    },
  };
}
