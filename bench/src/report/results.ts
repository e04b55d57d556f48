import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadResult } from '../load.js';
import type { Machine } from '../machine.js';
import type { SeedShape } from '../query.js';
import type { TargetId } from '../targets.js';
import { writeFormatted } from './formatted-file.js';

export interface TargetResult extends LoadResult {
  id: TargetId;
  name: string;
  description: string;
  /** VmHWM of the target's process after its run, in bytes (null where /proc is absent). */
  peakMemoryBytes: number | null;
  /** Headers of the target's answer to the query after its run (`date` left out). */
  responseHeaders: Record<string, string>;
}

export interface GoalResult {
  name: string;
  numerator: TargetId;
  denominator: TargetId;
  /** clean answers/s of numerator over clean answers/s of denominator */
  ratio: number;
  atLeast: number;
  met: boolean;
}

/** One run of `npm run bench`, as written to bench/results/<YYYY-MM-DD>.json. */
export interface BenchResults {
  date: string;
  startedAt: string;
  finishedAt: string;
  /** How the run was started, with the variables that changed its settings. */
  command: string;
  machine: Machine;
  settings: { connections: number; durationSeconds: number; warmupSeconds: number };
  workload: {
    query: string;
    responseBytes: number;
    seed: SeedShape;
  };
  targets: TargetResult[];
  ratios: Record<string, number>;
  goals: GoalResult[];
}

const RESULT_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

export async function writeResults(directory: string, results: BenchResults): Promise<string> {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${results.date}.json`);
  await writeFormatted(file, JSON.stringify(results, null, 2));
  return file;
}

/** The newest results file (by its date name), or undefined when there is none. */
export function readNewestResults(
  directory: string,
): { file: string; results: BenchResults } | undefined {
  const newest = readdirSync(directory)
    .filter((name) => RESULT_FILE.test(name))
    .sort()
    .at(-1);
  if (!newest) return undefined;
  const file = path.join(directory, newest);
  return { file, results: JSON.parse(readFileSync(file, 'utf8')) as BenchResults };
}
