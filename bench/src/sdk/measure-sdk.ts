import { describeMachine } from '../machine.js';
import { sdkBundleSizes } from './bundle-size.js';
import { measureSdkOverhead } from './overhead.js';
import { writeSdkResults, type SdkResults } from './results.js';

export const SDK_OVERHEAD_TARGET_PERCENT = 5;

/** The SDK's bundle sizes and per-query overhead; writes bench/results/sdk/<date>.json. */
export async function measureSdk(): Promise<{ results: SdkResults; file: string }> {
  const results: SdkResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: describeMachine(),
    bundle: await sdkBundleSizes(),
    overhead: await measureSdkOverhead(),
    overheadTargetPercent: SDK_OVERHEAD_TARGET_PERCENT,
  };
  return { results, file: await writeSdkResults(results) };
}
