import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { SCALE_IDS, type ScaleId } from './scales.js';
import { TARGET_IDS, type TargetId } from './target-ids.js';

const seconds = (fallback: number) => z.coerce.number().positive().max(3600).default(fallback);

const distinct = <Item>(items: Item[]) => new Set(items).size === items.length;

/** A comma-separated list of allowed values, in the order given, each at most once. */
function listOf<Value extends string>(allowed: readonly [Value, ...Value[]], fallback: string) {
  return env
    .csv(fallback)
    .pipe(z.array(z.enum(allowed)).min(1).refine(distinct, 'each value at most once'));
}

const benchSettingsSchema = z.object({
  /** How long each target is measured, per scale and connection count. */
  BENCH_DURATION_SECONDS: seconds(10),
  /** Concurrent connections: every target is measured at each of these, in this order. */
  BENCH_CONNECTIONS: env.csv('1,20').pipe(
    z
      .array(z.string().transform(Number).pipe(z.number().int().min(1).max(1000)))
      .min(1)
      .refine(distinct, 'each value at most once'),
  ),
  /**
   * Load sent to each target before each measured run, then discarded: fills the response cache
   * for (b) and (e+cache) and lets the gateway's cache-invalidation consumer settle.
   */
  BENCH_WARMUP_SECONDS: seconds(5),
  /** The data scales, measured in this order (each grows the database further). */
  BENCH_SCALES: listOf(SCALE_IDS, SCALE_IDS.join(',')).refine(
    (scales) =>
      scales.every(
        (scale, index) =>
          index === 0 || SCALE_IDS.indexOf(scale) > SCALE_IDS.indexOf(scales[index - 1]!),
      ),
    `in growing order (${SCALE_IDS.join(', ')}): the database only grows`,
  ),
  /** The targets, measured in this order at every scale; (a) gives the reference answer. */
  BENCH_TARGETS: listOf(TARGET_IDS, TARGET_IDS.join(',')).refine(
    (targets) => targets[0] === 'a',
    'must start with a: every other target is checked against its answer',
  ),
  /**
   * How other users' documents are written: `api` through the gateway (createDocument, so every
   * store and consumer sees them, as in production), or `driver` straight into the data
   * subgraph's collection (much faster; analytics and notification see none of them).
   */
  BENCH_GROW_VIA: z.enum(['api', 'driver']).default('api'),
  /** Requests in flight while the database grows between scales. */
  BENCH_GROW_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Longest wait for the analytics and notification consumers to catch up with the seed or a growth. */
  BENCH_SEED_TIMEOUT_SECONDS: seconds(180),
});

export interface BenchSettings {
  durationSeconds: number;
  connections: number[];
  warmupSeconds: number;
  scales: ScaleId[];
  targets: TargetId[];
  growVia: 'api' | 'driver';
  growConcurrency: number;
  seedTimeoutMs: number;
}

/** The benchmark's knobs, from the environment; a bad value stops the run naming the variable. */
export function loadBenchSettings(source: NodeJS.ProcessEnv = process.env): BenchSettings {
  const parsed = loadConfig(benchSettingsSchema, source);
  return {
    durationSeconds: parsed.BENCH_DURATION_SECONDS,
    connections: parsed.BENCH_CONNECTIONS,
    warmupSeconds: parsed.BENCH_WARMUP_SECONDS,
    scales: parsed.BENCH_SCALES,
    targets: parsed.BENCH_TARGETS,
    growVia: parsed.BENCH_GROW_VIA,
    growConcurrency: parsed.BENCH_GROW_CONCURRENCY,
    seedTimeoutMs: parsed.BENCH_SEED_TIMEOUT_SECONDS * 1000,
  };
}
