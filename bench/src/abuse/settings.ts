import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { ATTACK_IDS, type AttackId } from './attack-ids.js';

const distinct = <Item>(items: Item[]) => new Set(items).size === items.length;

const abuseSettingsSchema = z.object({
  /** Seconds of the quiet baseline and of each attack, normal traffic measured throughout. */
  BENCH_ABUSE_PHASE_SECONDS: z.coerce.number().int().min(5).max(600).default(20),
  /** Closed-loop connections sending the dashboard as the victim (besides its `me` loop). */
  BENCH_ABUSE_DASHBOARD_CONNECTIONS: z.coerce.number().int().min(1).max(64).default(4),
  /** The attacks, run in this order after the baseline. */
  BENCH_ABUSE_ATTACKS: env
    .csv(ATTACK_IDS.join(','))
    .pipe(z.array(z.enum(ATTACK_IDS)).min(1).refine(distinct, 'each value at most once')),
  /**
   * Where the gateway's Prometheus metrics are read: `public` (`/metrics` on the gateway's own
   * port, as on main), `internal` (`/metrics` on the port the soak passes as METRICS_PORT), or a
   * URL. The other one is tried when the chosen one does not answer with metrics.
   */
  BENCH_ABUSE_METRICS: z.union([z.enum(['public', 'internal']), z.url()]).default('public'),
  /** Sent as `Authorization: Bearer <it>` to the metrics address, when metrics need a token. */
  BENCH_ABUSE_METRICS_TOKEN: z.string().min(1).optional(),
  /**
   * The role of the victim's access token. `ADMIN` (default): its own rate-limit tier, set never to
   * refuse, so the normal traffic is never limited while every attacker (users, an API key,
   * anonymous callers) keeps the gateway's default limits. `USER`: a user like the attackers; every
   * tier keeps the gateway's defaults, so the normal traffic may be limited too.
   */
  BENCH_ABUSE_VICTIM_ROLE: z.enum(['ADMIN', 'USER']).default('ADMIN'),
});

export interface AbuseSettings {
  phaseSeconds: number;
  dashboardConnections: number;
  attacks: AttackId[];
  metrics: 'public' | 'internal' | string;
  metricsToken: string | undefined;
  victimRole: 'ADMIN' | 'USER';
}

/** The soak's knobs, from the environment; a bad value stops the run naming the variable. */
export function loadAbuseSettings(source: NodeJS.ProcessEnv = process.env): AbuseSettings {
  const parsed = loadConfig(abuseSettingsSchema, source);
  return {
    phaseSeconds: parsed.BENCH_ABUSE_PHASE_SECONDS,
    dashboardConnections: parsed.BENCH_ABUSE_DASHBOARD_CONNECTIONS,
    attacks: parsed.BENCH_ABUSE_ATTACKS,
    metrics: parsed.BENCH_ABUSE_METRICS,
    metricsToken: parsed.BENCH_ABUSE_METRICS_TOKEN,
    victimRole: parsed.BENCH_ABUSE_VICTIM_ROLE,
  };
}
