import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AttackContext, Attack, PreparedAttack } from './attack.js';
import type { MetricsReader } from './metrics-reader.js';
import { watchMetrics } from './metrics-watch.js';
import { startNormalTraffic } from './normal-traffic.js';
import type { PhaseResult } from './results.js';

export interface PhaseOptions {
  /** The attack, or undefined for the quiet baseline. */
  attack: Attack | undefined;
  attackContext: AttackContext | undefined;
  seconds: number;
  gatewayUrl: string;
  victimToken: string;
  dashboardQuery: string;
  dashboardConnections: number;
  metrics: MetricsReader;
}

const NS_PER_MS = 1e6;

/**
 * One phase: the attack prepared (unmeasured), then for `seconds` the normal traffic with the
 * attack beside it and the gateway's metrics read throughout; the attack stopped first, then the
 * normal traffic, so every normal request is measured while the attack still runs.
 */
export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const { attack } = options;
  let prepared: PreparedAttack | undefined;
  let failure: string | undefined;
  if (attack && options.attackContext) {
    try {
      prepared = await attack.prepare(options.attackContext);
    } catch (error) {
      failure = `could not prepare the attack: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const watch = await watchMetrics(options.metrics);
  const started = Date.now();
  const traffic = startNormalTraffic({
    url: options.gatewayUrl,
    token: options.victimToken,
    dashboardQuery: options.dashboardQuery,
    dashboardConnections: options.dashboardConnections,
  });
  prepared?.begin();
  await sleep(Math.max(options.seconds, attack?.minimumSeconds ?? 0) * 1000);
  const attacker = prepared ? await prepared.stop() : null;
  const normal = await traffic.stop();
  const seconds = (Date.now() - started) / 1000;
  const metrics = await watch.stop();
  delay.disable();
  return {
    phase: attack?.id ?? 'baseline',
    title: attack?.title ?? 'Quiet baseline',
    description: attack?.description ?? 'normal traffic only',
    seconds: Math.round(seconds * 10) / 10,
    normal,
    metrics,
    attacker: attacker ?? (failure ? { sent: {}, got: {}, notes: [failure] } : null),
    ...(failure ? { failure } : {}),
    loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
    harnessEventLoopDelay: {
      p99Ms: Math.round(delay.percentile(99) / NS_PER_MS),
      maxMs: Math.round(delay.max / NS_PER_MS),
    },
  };
}
