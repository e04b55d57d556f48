import type { Machine } from '../machine.js';
import { datedResults } from '../report/dated-results.js';
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

const sdkResults = datedResults<SdkResults>('sdk');

/** Writes bench/results/sdk/<date>.json; returns its path. */
export const writeSdkResults = sdkResults.write;

export const readNewestSdkResults = sdkResults.readNewest;
