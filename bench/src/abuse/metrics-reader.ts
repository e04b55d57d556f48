import { parsePrometheusText, type Sample } from './prometheus-text.js';

export interface MetricsReader {
  /** The gateway's samples now, or undefined when no address answers with metrics. */
  read(): Promise<Sample[] | undefined>;
  /** The address that answered last, or undefined before one did. */
  source(): string | undefined;
}

const READ_TIMEOUT_MS = 5_000;

/**
 * Reads the gateway's /metrics from the first of `addresses` that answers 200 with Prometheus
 * text, starting again from the one that answered last: main serves /metrics on the public port,
 * a gateway may serve it on an internal port instead. Nothing readable is not an error: the soak
 * then reports the breakers and the limiter's fallback as not measured.
 */
export function metricsReader(addresses: string[], token?: string): MetricsReader {
  let working: string | undefined;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  async function readFrom(address: string): Promise<Sample[] | undefined> {
    try {
      const response = await fetch(address, {
        headers,
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
      });
      const text = await response.text();
      if (!response.ok || !/^# (HELP|TYPE) /m.test(text)) return undefined;
      return parsePrometheusText(text);
    } catch {
      return undefined;
    }
  }
  return {
    async read() {
      const order = working
        ? [working, ...addresses.filter((address) => address !== working)]
        : addresses;
      for (const address of order) {
        const samples = await readFrom(address);
        if (samples) {
          working = address;
          return samples;
        }
      }
      return undefined;
    },
    source: () => working,
  };
}
