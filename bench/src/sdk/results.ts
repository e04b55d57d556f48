import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from '../machine.js';
import { resultsDir } from '../paths.js';
import { writeFormatted } from '../report/formatted-file.js';
import type { BundleSize } from './bundle-size.js';
import type { OverheadResult } from './overhead.js';

/** One run of the SDK measurements, as written to bench/results/sdk/<YYYY-MM-DD>.json. */
export interface SdkResults {
  date: string;
  machine: Machine;
  bundle: { core: BundleSize; all: BundleSize };
  overhead: OverheadResult;
  /** The goal: the SDK adds under this much to a query's p50 against a bare fetch. */
  overheadTargetPercent: number;
}

export const sdkResultsDir = path.join(resultsDir, 'sdk');
const RESULT_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

export async function writeSdkResults(results: SdkResults): Promise<string> {
  mkdirSync(sdkResultsDir, { recursive: true });
  const file = path.join(sdkResultsDir, `${results.date}.json`);
  await writeFormatted(file, JSON.stringify(results, null, 2));
  return file;
}

export function readNewestSdkResults(): { file: string; results: SdkResults } | undefined {
  let names: string[];
  try {
    names = readdirSync(sdkResultsDir);
  } catch {
    return undefined;
  }
  const newest = names
    .filter((name) => RESULT_FILE.test(name))
    .sort()
    .at(-1);
  if (!newest) return undefined;
  const file = path.join(sdkResultsDir, newest);
  return { file, results: JSON.parse(readFileSync(file, 'utf8')) as SdkResults };
}
