import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Machine } from '../machine.js';
import { writeFormatted } from '../report/formatted-file.js';
import type { AttackId } from './attack-ids.js';
import type { AttackReport } from './attack.js';
import type { PhaseMetrics } from './breaker-metrics.js';
import type { NormalTrafficResult } from './normal-traffic.js';

/** The shape of an abuse results file; files of another shape are history the generator skips. */
export const ABUSE_RESULTS_VERSION = 1;

/** The quiet baseline or one attack, with the normal traffic measured throughout. */
export interface PhaseResult {
  phase: 'baseline' | AttackId;
  title: string;
  description: string;
  /** Seconds the normal traffic (and the attack) ran. */
  seconds: number;
  normal: NormalTrafficResult;
  metrics: PhaseMetrics;
  /** What the attacker sent and got; null for the baseline. */
  attacker: AttackReport | null;
  /**
   * Seconds until the gateway was quiet again after the phase (no breaker open, `me` back near the
   * baseline's p50), or null when it was not within 30 s.
   */
  quietAgainSeconds?: number | null;
  /** Why the attack could not be prepared (then nothing attacked during the phase). */
  failure?: string;
  /**
   * The machine's 1-minute load average when the phase ended (`os.loadavg()`): on a machine shared
   * with other work, the noise every figure of the phase carries.
   */
  loadAverage?: number;
  /** The soak's own event-loop delay during the phase (a stalled harness would inflate latencies). */
  harnessEventLoopDelay: { p99Ms: number; maxMs: number };
}

export type Verdict = 'met' | 'missed' | 'not measured';

/** One attack judged against the baseline: issue 12's targets. */
export interface AttackVerdict {
  attack: AttackId;
  /** Dashboards' and `me`'s p99 during the attack over the baseline's (target at most 2). */
  dashboardsP99Ratio: number | null;
  meP99Ratio: number | null;
  latency: Verdict;
  /** Normal requests that failed (target 0). */
  normalErrors: number;
  errors: Verdict;
  breakerOpens: number;
  breakers: Verdict;
  /** For the revoked key: whether the socket was closed as wanted. */
  correctness: Verdict | null;
  verdict: Verdict;
}

/** One run of `npm run bench -- abuse`, as written to bench/results/abuse-<YYYY-MM-DD>.json. */
export interface AbuseResults {
  version: typeof ABUSE_RESULTS_VERSION;
  date: string;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine;
  settings: {
    phaseSeconds: number;
    dashboardConnections: number;
    victimRole: 'ADMIN' | 'USER';
    responseCache: boolean;
    /** Where /metrics was asked for, and where it answered. */
    metricsRequested: string;
    metricsSource: string | null;
  };
  /** The variables the soak set on the gateway beyond ports, stores and secrets. */
  gatewayEnv: Record<string, string>;
  phases: PhaseResult[];
  verdicts: AttackVerdict[];
}

const RESULT_FILE = /^abuse-\d{4}-\d{2}-\d{2}\.json$/;

export async function writeAbuseResults(directory: string, results: AbuseResults): Promise<string> {
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `abuse-${results.date}.json`);
  await writeFormatted(file, JSON.stringify(results, null, 2));
  return file;
}

/** The newest abuse results file of the current shape, or undefined when there is none. */
export function readNewestAbuseResults(
  directory: string,
): { file: string; results: AbuseResults } | undefined {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return undefined;
  }
  for (const name of names
    .filter((one) => RESULT_FILE.test(one))
    .sort()
    .reverse()) {
    const file = path.join(directory, name);
    const results = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown };
    if (results.version === ABUSE_RESULTS_VERSION)
      return { file, results: results as AbuseResults };
  }
  return undefined;
}
