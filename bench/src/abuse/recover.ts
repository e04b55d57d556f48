import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { progress } from '../progress.js';
import { askDashboardUntilClean } from '../verify.js';
import type { MetricsReader } from './metrics-reader.js';

const RECOVERY_TIMEOUT_MS = 30_000;
const QUIET_ANSWERS_IN_A_ROW = 3;
/** A `me` answer this many times the baseline's p50 (and at least 50 ms) still counts as quiet. */
const QUIET_FACTOR = 3;
const MIN_QUIET_MS = 50;

const breakerOpen = /^gateway_subgraph_breaker_(open|state)$/;

async function meTakes(url: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  await response.arrayBuffer();
  return response.ok ? performance.now() - started : Number.POSITIVE_INFINITY;
}

/**
 * Waits (at most 30 s) until the gateway is quiet again after a phase, so each phase starts from
 * the same place: no breaker open, the dashboard answered cleanly, and, once the baseline is known,
 * `{ me { id } }` answered about as fast as in it three times in a row (work an attack left queued
 * has drained). Returns the seconds it took, or null when the gateway did not get quiet in time.
 */
export async function recover(
  metrics: MetricsReader,
  url: string,
  token: string,
  baselineMeP50Ms?: number,
): Promise<number | null> {
  const started = Date.now();
  const deadline = started + RECOVERY_TIMEOUT_MS;
  const took = () => Math.round((Date.now() - started) / 100) / 10;
  let clean = true;
  for (;;) {
    const samples = await metrics.read();
    const open = (samples ?? []).filter(
      (sample) => breakerOpen.test(sample.name) && sample.value > 0,
    );
    if (open.length === 0) break;
    if (Date.now() > deadline) {
      clean = false;
      break;
    }
    await sleep(500);
  }
  await askDashboardUntilClean(url, token, 'the soak gateway before a phase').catch(
    (error: unknown) => {
      clean = false;
      progress(
        `still not answering cleanly: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  if (baselineMeP50Ms === undefined) return clean ? took() : null;
  const quietMs = Math.max(MIN_QUIET_MS, QUIET_FACTOR * baselineMeP50Ms);
  let inARow = 0;
  while (inARow < QUIET_ANSWERS_IN_A_ROW) {
    if (Date.now() > deadline) {
      progress(`the gateway did not get quiet again within ${RECOVERY_TIMEOUT_MS / 1000} s`);
      return null;
    }
    inARow =
      (await meTakes(url, token).catch(() => Number.POSITIVE_INFINITY)) <= quietMs ? inARow + 1 : 0;
    if (inARow === 0) await sleep(250);
  }
  return clean ? took() : null;
}
