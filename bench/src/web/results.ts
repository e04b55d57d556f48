import type { Machine } from '../machine.js';
import { datedResults } from '../report/dated-results.js';
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

const webResults = datedResults<WebResults>('web');

/** Writes bench/results/web/<date>.json; returns its path. */
export const writeWebResults = webResults.write;

export const readNewestWebResults = webResults.readNewest;
