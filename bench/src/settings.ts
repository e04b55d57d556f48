import { z } from 'zod';
import { loadConfig } from '@platform/config';

const seconds = (fallback: number) => z.coerce.number().positive().max(3600).default(fallback);

const benchSettingsSchema = z.object({
  /** How long each target is measured. */
  BENCH_DURATION_SECONDS: seconds(15),
  /** Concurrent connections, the same for every target. */
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * Load sent to each target before measuring, then discarded: fills the response cache for (b)
   * and lets the gateway's cache-invalidation consumer settle after the seed's events.
   */
  BENCH_WARMUP_SECONDS: seconds(10),
  /** Longest wait for the analytics and notification consumers to catch up with the seed. */
  BENCH_SEED_TIMEOUT_SECONDS: seconds(120),
});

export interface BenchSettings {
  durationSeconds: number;
  connections: number;
  warmupSeconds: number;
  seedTimeoutMs: number;
}

/** The benchmark's knobs, from the environment; a bad value stops the run naming the variable. */
export function loadBenchSettings(source: NodeJS.ProcessEnv = process.env): BenchSettings {
  const parsed = loadConfig(benchSettingsSchema, source);
  return {
    durationSeconds: parsed.BENCH_DURATION_SECONDS,
    connections: parsed.BENCH_CONNECTIONS,
    warmupSeconds: parsed.BENCH_WARMUP_SECONDS,
    seedTimeoutMs: parsed.BENCH_SEED_TIMEOUT_SECONDS * 1000,
  };
}
