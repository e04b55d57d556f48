import { sumOf, type Sample } from './prometheus-text.js';

/** What the gateway's metrics said about one phase; counters are differences over the phase. */
export interface PhaseMetrics {
  /** Where they were read, or null when no address answered (then nothing below was measured). */
  source: string | null;
  /** Reads during the phase (every 500 ms). */
  reads: number;
  /** Times a subgraph's breaker was seen going from closed to open or half-open. */
  breakerOpens: number;
  /** Subgraphs whose breaker was seen open at some read. */
  subgraphsWithOpenBreaker: string[];
  /** Most breakers seen open at one read. */
  mostOpenAtOnce: number;
  /** `gateway_subgraph_failures_total` by reason (timeout, breaker_open, ...). */
  subgraphFailures: Record<string, number>;
  /** `gateway_rate_limit_fallback_total`: decisions made without Redis. */
  rateLimitFallbacks: number;
  /** `gateway_rate_limit_decisions_total` by `tier/outcome`. */
  rateLimitDecisions: Record<string, number>;
}

/** A breaker's gauge: `gateway_subgraph_breaker_open` (main), or a `..._state` a gateway may add. */
const BREAKER_GAUGE = /^gateway_subgraph_breaker_(open|state)$/;
/** A counter of openings, should a gateway count them itself. */
const BREAKER_OPENS_COUNTER = /^gateway_subgraph_breaker_\w*(opens|opened|openings)_total$/;

function openBreakers(samples: readonly Sample[]): Set<string> {
  return new Set(
    samples
      .filter((sample) => BREAKER_GAUGE.test(sample.name) && sample.value > 0)
      .map((sample) => sample.labels.subgraph ?? sample.name),
  );
}

function byLabels(
  samples: readonly Sample[],
  name: string,
  keyOf: (labels: Record<string, string>) => string,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const sample of samples) {
    if (sample.name !== name) continue;
    const key = keyOf(sample.labels);
    totals.set(key, (totals.get(key) ?? 0) + sample.value);
  }
  return totals;
}

function deltas(
  first: readonly Sample[],
  last: readonly Sample[],
  name: string,
  keyOf: (labels: Record<string, string>) => string,
): Record<string, number> {
  const before = byLabels(first, name, keyOf);
  const after = byLabels(last, name, keyOf);
  const result: Record<string, number> = {};
  for (const [key, value] of [...after.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const delta = value - (before.get(key) ?? 0);
    if (delta > 0) result[key] = delta;
  }
  return result;
}

const counterOpenings = (samples: readonly Sample[]) =>
  samples
    .filter((sample) => BREAKER_OPENS_COUNTER.test(sample.name))
    .reduce((sum, sample) => sum + sample.value, 0);

/**
 * The phase's metrics from the reads made during it, in order (the first just before the phase's
 * traffic started, the last after it stopped). A breaker open at the first read counts as open.
 */
export function summarizeReads(
  reads: ReadonlyArray<readonly Sample[]>,
  source: string | null,
): PhaseMetrics {
  const first = reads[0];
  const last = reads.at(-1);
  if (!first || !last || source === null) {
    return {
      source: null,
      reads: reads.length,
      breakerOpens: 0,
      subgraphsWithOpenBreaker: [],
      mostOpenAtOnce: 0,
      subgraphFailures: {},
      rateLimitFallbacks: 0,
      rateLimitDecisions: {},
    };
  }
  let transitions = 0;
  let mostOpenAtOnce = 0;
  const everOpen = new Set<string>();
  let previous = new Set<string>();
  for (const read of reads) {
    const open = openBreakers(read);
    for (const subgraph of open) {
      if (!previous.has(subgraph)) transitions += 1;
      everOpen.add(subgraph);
    }
    mostOpenAtOnce = Math.max(mostOpenAtOnce, open.size);
    previous = open;
  }
  return {
    source,
    reads: reads.length,
    breakerOpens: Math.max(transitions, counterOpenings(last) - counterOpenings(first)),
    subgraphsWithOpenBreaker: [...everOpen].sort(),
    mostOpenAtOnce,
    subgraphFailures: deltas(
      first,
      last,
      'gateway_subgraph_failures_total',
      (labels) => labels.reason ?? 'unknown',
    ),
    rateLimitFallbacks:
      sumOf(last, 'gateway_rate_limit_fallback_total') -
      sumOf(first, 'gateway_rate_limit_fallback_total'),
    rateLimitDecisions: deltas(
      first,
      last,
      'gateway_rate_limit_decisions_total',
      (labels) => `${labels.tier ?? '?'}/${labels.outcome ?? '?'}`,
    ),
  };
}
