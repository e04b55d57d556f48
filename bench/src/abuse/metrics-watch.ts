import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeReads, type PhaseMetrics } from './breaker-metrics.js';
import type { MetricsReader } from './metrics-reader.js';
import type { Sample } from './prometheus-text.js';

const READ_EVERY_MS = 500;

/**
 * Reads the gateway's metrics every 500 ms from now until `stop`, which reads once more and
 * summarizes the phase. A breaker stays open for SUBGRAPH_BREAKER_HALF_OPEN_MS (seconds), so a
 * read every 500 ms sees every opening.
 */
export async function watchMetrics(
  reader: MetricsReader,
): Promise<{ stop: () => Promise<PhaseMetrics> }> {
  const reads: Sample[][] = [];
  const readOnce = async () => {
    const samples = await reader.read();
    if (samples) reads.push(samples);
  };
  await readOnce();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await sleep(READ_EVERY_MS);
      if (!stopped) await readOnce();
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await readOnce();
      return summarizeReads(reads, reads.length > 0 ? (reader.source() ?? null) : null);
    },
  };
}
