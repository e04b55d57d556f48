import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CpuPerRequest } from '../cpu/per-request.js';
import type { LoadResult } from '../load.js';
import type { Machine } from '../machine.js';
import type { SeedShape } from '../query.js';
import type { OtherData, ScaleId } from '../scales.js';
import type { TargetId } from '../target-ids.js';
import { writeFormatted } from './formatted-file.js';

/** The shape of this file; older result files (without it) are history the generator skips. */
export const RESULTS_VERSION = 2;

export interface TargetInfo {
  id: TargetId;
  name: string;
  description: string;
}

/** One target, at one data scale, at one connection count. */
export interface RunResult extends LoadResult {
  target: TargetId;
  scale: ScaleId;
  connections: number;
  /** CPU milliseconds per request of every process over the measured window; null without requests. */
  cpu: CpuPerRequest | null;
  /** VmHWM of the target's process after the run, in bytes (null where /proc is absent). */
  peakMemoryBytes: number | null;
  /** Headers of the target's answer to the query after the run (`date` left out). */
  responseHeaders: Record<string, string>;
}

export interface ScaleInfo {
  id: ScaleId;
  /** What other users had stored when this scale was measured. */
  other: OtherData;
  /** Seconds spent growing to it through the gateway, and waiting for the consumers after. */
  writeSeconds: number;
  catchUpSeconds: number;
}

export interface GoalResult {
  /** The goal as issue 11 states it. */
  goal: string;
  /** What was measured, readable (values and, for a comparison, their ratio). */
  measured: string;
  verdict: 'met' | 'missed' | 'not measured';
}

/** One run of `npm run bench`, as written to bench/results/<YYYY-MM-DD>.json. */
export interface BenchResults {
  version: typeof RESULTS_VERSION;
  date: string;
  startedAt: string;
  finishedAt: string;
  /** How the run was started, with the variables that changed its settings. */
  command: string;
  machine: Machine;
  settings: {
    connections: number[];
    durationSeconds: number;
    warmupSeconds: number;
    growConcurrency: number;
    /** How other users' documents were written (BENCH_GROW_VIA). */
    growVia: 'api' | 'driver';
  };
  workload: {
    query: string;
    responseBytes: number;
    seed: SeedShape;
    scales: ScaleInfo[];
  };
  targets: TargetInfo[];
  runs: RunResult[];
  goals: GoalResult[];
}

const RESULT_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

export async function writeResults(directory: string, results: BenchResults): Promise<string> {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${results.date}.json`);
  await writeFormatted(file, JSON.stringify(results, null, 2));
  return file;
}

/**
 * The newest results file (by its date name) of the current shape, or undefined when there is
 * none; files of an older shape stay as history and are not read.
 */
export function readNewestResults(
  directory: string,
): { file: string; results: BenchResults } | undefined {
  const names = readdirSync(directory)
    .filter((name) => RESULT_FILE.test(name))
    .sort()
    .reverse();
  for (const name of names) {
    const file = path.join(directory, name);
    const results = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    if (results.version === RESULTS_VERSION) return { file, results: results as BenchResults };
  }
  return undefined;
}
