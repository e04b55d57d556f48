/**
 * `npm run bench -- abuse`: issue 12's five attacks, one after another, against a platform gateway
 * serving a steady load of normal dashboards. The platform is the full benchmark's (the stack, the
 * run's own stores, the four subgraphs, the seed); the gateway keeps its default limits for every
 * attacker. A quiet baseline first, then each attack for the same time, normal traffic measured
 * throughout; writes bench/results/abuse-<YYYY-MM-DD>.json and regenerates BENCHMARKS.md.
 */
import { issueAccessToken } from '@platform/identity';
import { freePort } from '@platform/testing';
import { progressWhileWaiting, startBenchPlatform } from '../bench-platform.js';
import { commandLine } from '../command-line.js';
import { describeMachine } from '../machine.js';
import { resultsDir } from '../paths.js';
import { progress } from '../progress.js';
import { DASHBOARD_QUERY } from '../query.js';
import { regenerateBenchmarksMarkdown } from '../report/benchmarks-markdown.js';
import { seed } from '../seed.js';
import { loadBenchSettings } from '../settings.js';
import { startPlatformGateway, UNREFUSING_ADMIN_ENV, WRITER_GATEWAY_ENV } from '../targets.js';
import { askDashboardUntilClean } from '../verify.js';
import { recover } from './recover.js';
import { freshLoopbackAddress } from './anonymous-http.js';
import type { AttackContext } from './attack.js';
import { ATTACKS } from './attacks/index.js';
import { metricsReader } from './metrics-reader.js';
import { runPhase } from './phase.js';
import {
  ABUSE_RESULTS_VERSION,
  writeAbuseResults,
  type AbuseResults,
  type PhaseResult,
} from './results.js';
import { loadAbuseSettings } from './settings.js';
import { abuseSummaryText } from './summary.js';
import { judgeAttacks } from './verdicts.js';
import { createAttackerWorld, type AttackerWorld } from './world.js';

const WARM_UP_SECONDS = 5;
const VICTIM_TOKEN_TTL_SECONDS = 3600;

function metricsAddresses(setting: string, gatewayBaseUrl: string, metricsPort: number): string[] {
  const publicAddress = `${gatewayBaseUrl}/metrics`;
  const internalAddress = `http://127.0.0.1:${metricsPort}/metrics`;
  if (setting === 'public') return [publicAddress, internalAddress];
  if (setting === 'internal') return [internalAddress, publicAddress];
  return [setting, publicAddress, internalAddress];
}

function describePhase(phase: PhaseResult): string {
  const { dashboards, me } = phase.normal;
  const breakers =
    phase.metrics.source === null
      ? 'breakers not measured'
      : `breaker opens ${phase.metrics.breakerOpens}`;
  return (
    `${phase.phase}: dashboards ${dashboards.requests} (p99 ${dashboards.p99Ms} ms, failed ${dashboards.failed}), ` +
    `me ${me.requests} (p99 ${me.p99Ms} ms, failed ${me.failed}), ${breakers}, ` +
    `rate-limit fallbacks ${phase.metrics.rateLimitFallbacks}`
  );
}

export async function abuseSoak(): Promise<void> {
  const settings = loadAbuseSettings();
  const benchSettings = loadBenchSettings();
  const startedAt = new Date();
  const runId = String(startedAt.getTime());
  const { context } = await startBenchPlatform(runId, 'bench-abuse');

  progress('seeding through the gateway: the victim, and an attacker world per attack');
  const seedGateway = await startPlatformGateway(context, {
    name: 'gateway-seed',
    responseCache: false,
    env: WRITER_GATEWAY_ENV,
  });
  const seedUrl = `${seedGateway.baseUrl}/graphql`;
  const { world, attackers } = await (async () => {
    const seeded = await seed(seedUrl, {
      timeoutMs: benchSettings.seedTimeoutMs,
      onWait: progressWhileWaiting('analytics and notification to catch up with the seed'),
    });
    const worlds: AttackerWorld[] = [];
    // One attacker per attack, so each starts with a full default budget.
    while (worlds.length < settings.attacks.length) worlds.push(await createAttackerWorld(seedUrl));
    return { world: seeded, attackers: worlds };
  })().finally(() => seedGateway.stop());
  context.benchUserId = world.owner.id;

  const victimToken =
    settings.victimRole === 'ADMIN'
      ? (
          await issueAccessToken(
            { userId: world.owner.id, role: 'ADMIN' },
            context.secrets.JWT_SECRET,
            VICTIM_TOKEN_TTL_SECONDS,
          )
        ).token
      : world.owner.token;

  const metricsPort = await freePort();
  const gatewayEnv: Record<string, string> = {
    ...(settings.victimRole === 'ADMIN' ? UNREFUSING_ADMIN_ENV : {}),
    // Ignored by a gateway that serves /metrics on its public port (main today).
    METRICS_PORT: String(metricsPort),
  };
  progress('starting the soak gateway (default limits for users, API keys and anonymous callers)');
  const gateway = await startPlatformGateway(context, {
    name: 'gateway-abuse',
    responseCache: false,
    env: gatewayEnv,
    userLimits: 'gateway-defaults',
  });
  try {
    const gatewayUrl = `${gateway.baseUrl}/graphql`;
    const metrics = metricsReader(
      metricsAddresses(settings.metrics, gateway.baseUrl, metricsPort),
      settings.metricsToken,
    );
    await askDashboardUntilClean(gatewayUrl, victimToken, 'the soak gateway');
    if (!(await metrics.read()))
      progress('no /metrics answered: breakers and fallbacks will be "not measured"');
    else progress(`metrics from ${metrics.source()}`);

    const phaseOptions = {
      seconds: settings.phaseSeconds,
      gatewayUrl,
      victimToken,
      dashboardQuery: DASHBOARD_QUERY,
      dashboardConnections: settings.dashboardConnections,
      metrics,
    };
    progress(`warming up, ${WARM_UP_SECONDS} s of normal traffic`);
    await runPhase({
      ...phaseOptions,
      seconds: WARM_UP_SECONDS,
      attack: undefined,
      attackContext: undefined,
    });

    await recover(metrics, gatewayUrl, victimToken);
    const phases: PhaseResult[] = [];
    const anonymousAddress = freshLoopbackAddress();
    for (const [index, id] of [undefined, ...settings.attacks].entries()) {
      const attack = id ? ATTACKS[id] : undefined;
      const attackerWorld = attackers[index - 1];
      const attackContext: AttackContext | undefined = attackerWorld && {
        gatewayUrl,
        socketUrl: gatewayUrl.replace(/^http/, 'ws'),
        ...attackerWorld,
        anonymousAddress,
      };
      progress(
        `${attack ? `attack: ${attack.title}` : 'quiet baseline'}, ${Math.max(settings.phaseSeconds, attack?.minimumSeconds ?? 0)} s`,
      );
      const phase = await runPhase({ ...phaseOptions, attack, attackContext });
      phase.quietAgainSeconds = await recover(
        metrics,
        gatewayUrl,
        victimToken,
        (phases[0] ?? phase).normal.me.p50Ms,
      );
      progress(describePhase(phase));
      phases.push(phase);
    }

    const [baseline, ...attackPhases] = phases;
    const results: AbuseResults = {
      version: ABUSE_RESULTS_VERSION,
      date: startedAt.toISOString().slice(0, 10),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: commandLine('abuse'),
      machine: describeMachine(),
      settings: {
        phaseSeconds: settings.phaseSeconds,
        dashboardConnections: settings.dashboardConnections,
        victimRole: settings.victimRole,
        responseCache: false,
        metricsRequested: settings.metrics,
        metricsSource: metrics.source() ?? null,
      },
      gatewayEnv: Object.fromEntries(
        Object.entries(gatewayEnv).filter(([name]) => name !== 'METRICS_PORT'),
      ),
      phases,
      verdicts: judgeAttacks(baseline!, attackPhases),
    };
    const file = await writeAbuseResults(resultsDir, results);
    progress(`results: ${file}`);
    await regenerateBenchmarksMarkdown();
    progress('BENCHMARKS.md regenerated');
    process.stdout.write(abuseSummaryText(results));
  } finally {
    await gateway.stop();
  }
}
