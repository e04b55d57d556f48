import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@platform/testing';
import { sumOf } from '../abuse/prometheus-text.js';
import { metricsReader } from '../abuse/metrics-reader.js';
import { percentile, roundMs } from '../abuse/latency.js';
import { startCpuWindow } from '../cpu/meter.js';
import type { MeasuredProcess } from '../cpu/per-request.js';
import { progress } from '../progress.js';
import { startPlatformGateway, type TargetContext } from '../targets.js';
import { openClients } from './clients.js';
import { causeNotifications } from './events.js';
import { residentBytes } from './gateway-memory.js';
import type { LiveCell } from './results.js';
import { SELECTIONS, type SelectionId } from './selections.js';
import type { LiveWorld } from './world.js';

/** After start-up and after the sockets open, before reading the gateway's memory. */
const SETTLE_MS = 3_000;
/** How long the sockets may take to be subscribed on the gateway. */
const SUBSCRIBED_TIMEOUT_MS = 120_000;
/** Above these the load generator, not the platform, may be what limited the cell. */
const CLIENT_DELAY_P99_MS = 100;
const PRODUCER_SHORTFALL = 0.95;
const PRODUCER_MAX_LAG_MS = 1_000;

export interface CellPlan {
  sockets: number;
  rate: number;
  selection: SelectionId;
  seconds: number;
  drainSeconds: number;
  clientWorkers: number;
}

async function waitForSubscriptions(
  read: () => Promise<number | undefined>,
  count: number,
): Promise<void> {
  const deadline = Date.now() + SUBSCRIBED_TIMEOUT_MS;
  for (;;) {
    const active = await read();
    if (active === undefined) {
      progress('gateway /metrics unreadable: waiting a fixed 10 s for the subscriptions instead');
      await sleep(10_000);
      return;
    }
    if (active >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${active} of ${count} subscriptions started`);
    await sleep(250);
  }
}

function latencies(causedAt: number[][], receipts: number[][]): number[] {
  const values: number[] = [];
  causedAt.forEach((caused, slot) => {
    // One socket's notifications arrive in the order they were caused (one Kafka key each).
    const received = receipts[slot] ?? [];
    const matched = Math.min(caused.length, received.length);
    for (let index = 0; index < matched; index++) values.push(received[index]! - caused[index]!);
  });
  return values;
}

/**
 * One cell on a fresh gateway: its memory with no socket, then with every socket open and
 * subscribed (idle), then `rate` notifications per second for `seconds`, waiting up to
 * `drainSeconds` for the last ones; the CPU window runs from the first event to the last receipt.
 */
export async function runCell(
  plan: CellPlan,
  context: TargetContext,
  world: LiveWorld,
  behind: MeasuredProcess[],
): Promise<LiveCell> {
  const recipients = world.recipients.slice(0, plan.sockets);
  const cellWorld = { ...world, recipients };
  const metricsPort = await freePort();
  const gateway = await startPlatformGateway(context, {
    name: `gateway-live-${plan.sockets}-${plan.rate}-${plan.selection}`,
    responseCache: false,
    env: { METRICS_PORT: String(metricsPort) },
  });
  const metrics = metricsReader([
    `http://127.0.0.1:${metricsPort}/metrics`,
    `${gateway.baseUrl}/metrics`,
  ]);
  const activeSubscriptions = async () => {
    const samples = await metrics.read();
    return samples && sumOf(samples, 'gateway_subscriptions_active');
  };
  try {
    await sleep(SETTLE_MS);
    const before = residentBytes(gateway.pid).rss;
    progress(`opening ${plan.sockets} sockets (${plan.clientWorkers} client threads)`);
    const clients = await openClients({
      url: `${gateway.baseUrl.replace(/^http/, 'ws')}/graphql`,
      query: SELECTIONS[plan.selection].query,
      tokens: recipients.map((recipient) => recipient.token),
      workers: plan.clientWorkers,
    });
    try {
      if (clients.failed > 0) {
        progress(`${clients.failed} sockets were refused: ${clients.failures.join('; ')}`);
      }
      await waitForSubscriptions(activeSubscriptions, clients.opened);
      await sleep(SETTLE_MS);
      const idle = residentBytes(gateway.pid).rss;
      progress(
        `gateway RSS ${Math.round(before / 2 ** 20)} MiB before, ${Math.round(idle / 2 ** 20)} MiB with ${clients.opened} idle sockets; ${plan.rate}/s for ${plan.seconds} s`,
      );

      const cpu = startCpuWindow([
        { name: 'gateway', role: 'target', roots: [gateway.pid], inTotal: true },
        ...behind,
      ]);
      const clientCpuBefore = process.cpuUsage();
      clients.measure();
      const startedAt = Date.now();
      const caused = await causeNotifications(cellWorld, plan);
      const load = residentBytes(gateway.pid);
      const drainDeadline = Date.now() + plan.drainSeconds * 1000;
      let received = await clients.received();
      while (received < caused.sent && Date.now() < drainDeadline) {
        await sleep(250);
        received = await clients.received();
      }
      const finishedAt = Date.now();
      const cpuPerDelivery = cpu.finish(Math.max(received, 1));
      const clientCpu = process.cpuUsage(clientCpuBefore);
      const peak = residentBytes(gateway.pid).peak;
      const tally = await clients.collect();
      const values = latencies(caused.causedAt, tally.receipts);
      const fromStore = tally.receipts.flatMap((times, slot) =>
        times.map((time, index) => time - tally.storedAt[slot]![index]!),
      );
      const delayed = tally.eventLoopDelay.p99Ms > CLIENT_DELAY_P99_MS;
      const shortfall = caused.achievedRate < plan.rate * PRODUCER_SHORTFALL;
      const lagging = caused.maxLagMs > PRODUCER_MAX_LAG_MS;
      const saturation = [
        delayed ? `client event-loop delay p99 ${roundMs(tally.eventLoopDelay.p99Ms)} ms` : '',
        shortfall ? `producer sent ${Math.round(caused.achievedRate)}/s of ${plan.rate}/s` : '',
        lagging ? `producer fell ${caused.maxLagMs} ms behind` : '',
      ].filter(Boolean);
      return {
        sockets: plan.sockets,
        rate: plan.rate,
        selection: plan.selection,
        seconds: plan.seconds,
        opened: clients.opened,
        openFailures: clients.failures,
        expected: caused.sent,
        received,
        duplicates: tally.duplicates,
        errorFrames: tally.errorFrames,
        errorSamples: tally.errorSamples,
        closes: tally.closes,
        latencyMs: {
          p50: roundMs(percentile(values, 50)),
          p99: roundMs(percentile(values, 99)),
          max: roundMs(values.reduce((max, value) => Math.max(max, value), 0)),
        },
        storedToReceivedMs: {
          p50: roundMs(percentile(fromStore, 50)),
          p99: roundMs(percentile(fromStore, 99)),
        },
        deliveredPerSecond: Math.round((received / Math.max(1, finishedAt - startedAt)) * 1000),
        cpu: cpuPerDelivery,
        clientCpuMsPerDelivery: (clientCpu.user + clientCpu.system) / 1000 / Math.max(received, 1),
        gatewayRss: {
          beforeBytes: before,
          idleBytes: idle,
          idleBytesPerSocket: Math.round((idle - before) / Math.max(clients.opened, 1)),
          loadBytes: load.rss,
          peakBytes: peak,
          loadBytesPerSocket: Math.round((load.rss - before) / Math.max(clients.opened, 1)),
        },
        producer: { achievedRate: Math.round(caused.achievedRate), maxLagMs: caused.maxLagMs },
        clientEventLoopDelay: {
          p99Ms: roundMs(tally.eventLoopDelay.p99Ms),
          maxMs: roundMs(tally.eventLoopDelay.maxMs),
        },
        clientWorkers: plan.clientWorkers,
        clientSaturation: saturation.length > 0 ? saturation.join('; ') : null,
        loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
      };
    } finally {
      await clients.close();
    }
  } finally {
    await gateway.stop();
  }
}
