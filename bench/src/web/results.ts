import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from '../machine.js';
import { resultsDir } from '../paths.js';
import { writeFormatted } from '../report/formatted-file.js';
import type { WebBundleSize } from './bundle-size.js';
import type { SignInTiming } from './sign-in-time.js';

/** The goal for the web app's initial JavaScript, gzipped (issue 13). */
export const WEB_INITIAL_JS_TARGET_GZIP_BYTES = 250 * 1024;

/** One run of the web app's measurements, as written to bench/results/web/<YYYY-MM-DD>.json. */
export interface WebResults {
  date: string;
  machine: Machine;
  bundle: WebBundleSize;
  bundleTargetGzipBytes: number;
  signIn: SignInTiming;
}

export const webResultsDir = path.join(resultsDir, 'web');
const RESULT_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

export async function writeWebResults(results: WebResults): Promise<string> {
  mkdirSync(webResultsDir, { recursive: true });
  const file = path.join(webResultsDir, `${results.date}.json`);
  await writeFormatted(file, JSON.stringify(results, null, 2));
  return file;
}

export function readNewestWebResults(): { file: string; results: WebResults } | undefined {
  let names: string[];
  try {
    names = readdirSync(webResultsDir);
  } catch {
    return undefined;
  }
  const newest = names
    .filter((name) => RESULT_FILE.test(name))
    .sort()
    .at(-1);
  if (!newest) return undefined;
  const file = path.join(webResultsDir, newest);
  return { file, results: JSON.parse(readFileSync(file, 'utf8')) as WebResults };
}
