/**
 * The value of a Prometheus counter or gauge a service serves on /metrics (`serviceUrl` is any URL
 * of the listener: a subgraph's GraphQL URL, a gateway's `metricsUrl`): the sum of its series
 * whose labels include `labels` (0 when there is none yet). Tests use it to count what a service
 * did (batches, subgraph calls, cache hits) through its public metrics.
 */
export async function metricValue(
  serviceUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const url = new URL('/metrics', serviceUrl);
  const response = await fetch(url);
  // A missing endpoint must not read as a counter of 0 (a test would pass without measuring).
  if (!response.ok) {
    throw new Error(
      `${url.href} answered ${response.status}: the gateway serves /metrics on its internal ` +
        'listener, pass its metricsUrl (RunningGateway.metricsUrl)',
    );
  }
  const text = await response.text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .filter((line) => wanted.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
