/**
 * `npm run bench -- live`: issue 16's live benchmark. The platform as the other benchmarks start
 * it (the stack, the run's own stores, the four subgraphs); a world seeded straight into the
 * stores (world.ts); then per cell of sockets x delivered/s x selection a fresh gateway, that many
 * sockets of distinct users with one notificationAdded subscription each (client threads,
 * client-worker.ts), notifications caused by Kafka events at the rate (events.ts), and per cell:
 * latency from the event to each receipt, received of expected, error frames, CPU per delivery of
 * every process and the gateway's memory per socket (cell.ts). Writes
 * bench/results/live/<date>.json (a cell measured again today replaces its earlier figures) and
 * regenerates BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { startBenchPlatform } from '../bench-platform.js';
import { commandLine } from '../command-line.js';
import { stackProcesses } from '../cpu/meter.js';
import type { MeasuredProcess } from '../cpu/per-request.js';
import { describeMachine } from '../machine.js';
import { progress } from '../progress.js';
import { regenerateBenchmarksMarkdown } from '../report/benchmarks-markdown.js';
import { runCell, type CellPlan } from './cell.js';
import { waitForConsumerGroups } from './consumer-ready.js';
import {
  readNewestLiveResults,
  writeLiveResults,
  type LiveCell,
  type LiveResults,
} from './results.js';
import { SELECTIONS } from './selections.js';
import { clientWorkersFor, loadLiveSettings } from './settings.js';
import { liveSummaryText } from './summary.js';
import { cellName, judgeLive } from './verdicts.js';
import { seedLiveWorld } from './world.js';

function openFileLimit(): number | null {
  try {
    const value = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

const sameCell = (one: LiveCell, other: LiveCell) =>
  one.sockets === other.sockets && one.rate === other.rate && one.selection === other.selection;

export async function liveBench(): Promise<void> {
  const settings = loadLiveSettings();
  const startedAt = new Date();
  const date = startedAt.toISOString().slice(0, 10);
  const limit = openFileLimit();
  const mostSockets = Math.max(...settings.sockets);
  // The client holds every socket, and so does the gateway, besides their other descriptors.
  if (limit !== null && limit < mostSockets + 1_000) {
    throw new Error(
      `ulimit -n is ${limit}: ${mostSockets} sockets need at least ${mostSockets + 1_000} (raise it with ulimit -n)`,
    );
  }
  const runId = String(startedAt.getTime());
  const { stores, subgraphs, context } = await startBenchPlatform(runId, 'bench-live');
  progress(`seeding ${mostSockets} recipients, their projects and documents into the stores`);
  const world = await seedLiveWorld(stores, context.secrets.JWT_SECRET, mostSockets);
  context.benchUserId = world.actorId;
  progress('waiting for the notification consumer to join its group');
  await waitForConsumerGroups([stores.kafkaGroups.notification]);

  const behind: MeasuredProcess[] = [
    ...subgraphs.processes.map((service): MeasuredProcess => ({
      name: service.name,
      role: 'subgraph',
      roots: [service.pid],
      inTotal: true,
    })),
    // Every notification passes through Kafka here, so it counts.
    ...stackProcesses().map((store) => ({ ...store, inTotal: true })),
  ];

  const plans: CellPlan[] = settings.sockets.flatMap((sockets) =>
    settings.rates.flatMap((rate) =>
      settings.selections.map((selection) => ({
        sockets,
        rate,
        selection,
        seconds: settings.seconds,
        drainSeconds: settings.drainSeconds,
        clientWorkers: clientWorkersFor(sockets, settings.clientWorkers),
      })),
    ),
  );
  const earlier = readNewestLiveResults();
  let cells: LiveCell[] = earlier?.results.date === date ? earlier.results.cells : [];
  let results: LiveResults | undefined;
  let file: string | undefined;
  for (const plan of plans) {
    progress(`cell ${cellName(plan)}, ${plan.seconds} s`);
    const cell = await runCell(plan, context, world, behind);
    progress(
      `${cellName(cell)}: ${cell.received} of ${cell.expected}, ${cell.errorFrames} error frames, p50/p99 ${cell.latencyMs.p50}/${cell.latencyMs.p99} ms (stored to received ${cell.storedToReceivedMs.p50}/${cell.storedToReceivedMs.p99}), gateway ${cell.cpu.targetMs.toFixed(3)} ms CPU per delivery, ${(cell.gatewayRss.idleBytesPerSocket / 1024).toFixed(1)} KB per idle socket${cell.clientSaturation ? `; client saturated: ${cell.clientSaturation}` : ''}`,
    );
    cells = [...cells.filter((one) => !sameCell(one, cell)), cell].sort(
      (one, other) =>
        one.sockets - other.sockets ||
        one.rate - other.rate ||
        one.selection.localeCompare(other.selection),
    );
    results = {
      date,
      startedAt:
        earlier?.results.date === date ? earlier.results.startedAt : startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      command: commandLine(['live', ...process.argv.slice(3)].join(' ')),
      machine: describeMachine(),
      openFileLimit: limit,
      selections: {
        minimal: SELECTIONS.minimal.query,
        'cross-subgraph': SELECTIONS['cross-subgraph'].query,
      },
      cells,
      verdicts: judgeLive(cells),
    };
    file = await writeLiveResults(results);
  }
  progress(`results: ${file}`);
  if (results) process.stdout.write(liveSummaryText(results));
  await regenerateBenchmarksMarkdown();
  progress('BENCHMARKS.md regenerated');
}
