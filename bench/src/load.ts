import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  /** The request body, sent with every request. */
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Mean of the per-second counts of answered requests, whatever the answer. */
  requestsPerSecond: number;
  /** Answers with data and no errors per second: what the goals compare. */
  cleanAnswersPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyAverageMs: number;
  totalRequests: number;
  non2xx: number;
  /** Responses that were not a clean `{"data": ...}`: GraphQL errors (a subgraph timed out, say), and non-2xx ones too. */
  errorAnswers: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
}

/**
 * Data and no errors. Cheap enough to run on every response: the servers put `errors` first
 * when there are any, and the bodies are a few kilobytes.
 */
function isCleanAnswer(body: string | Buffer | undefined): boolean {
  if (typeof body !== 'string') return false;
  return body.startsWith('{"data":') && !body.includes('"errors":');
}

/** Closed-loop load: `connections` keep-alive connections, each sending the next request as soon as the previous answer arrives. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.body,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    verifyBody: isCleanAnswer,
  });
  return {
    requestsPerSecond: result.requests.average,
    cleanAnswersPerSecond:
      result.requests.total > 0
        ? result.requests.average * (1 - result.mismatches / result.requests.total)
        : 0,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyAverageMs: result.latency.average,
    totalRequests: result.requests.total,
    non2xx: result.non2xx,
    errorAnswers: result.mismatches,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
  };
}
