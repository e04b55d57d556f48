import type { LiveCell, LiveResults } from '../live/results.js';
import { ACCEPTANCE, cellName } from '../live/verdicts.js';

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const kb = (bytes: number) => `${number(bytes / 1024, 1)} KB`;
const ms = (value: number) => number(value, value < 1 ? 3 : 2);
const verdicts = { met: 'met', missed: '**missed**', 'not measured': 'not measured' } as const;

function closes(cell: LiveCell): string {
  const entries = Object.entries(cell.closes);
  return entries.length === 0
    ? ''
    : `, closed ${entries.map(([code, n]) => `${n}x ${code}`).join(' ')}`;
}

function cellRow(cell: LiveCell): string {
  const lost = cell.expected - cell.received;
  return row([
    number(cell.sockets),
    number(cell.rate),
    cell.selection,
    `${number(cell.latencyMs.p50)} / ${number(cell.latencyMs.p99)}`,
    `${number(cell.storedToReceivedMs.p50)} / ${number(cell.storedToReceivedMs.p99)}`,
    `${lost === 0 ? 'all' : `**${number(cell.received)} of ${number(cell.expected)}**`}${closes(cell)}`,
    number(cell.errorFrames),
    ms(cell.cpu.targetMs),
    // deliveredPerSecond is received over the CPU window, so this is the gateway's share of a core.
    `${number((cell.cpu.targetMs * cell.deliveredPerSecond) / 10)}%`,
    ms(cell.cpu.totalMs),
    kb(cell.gatewayRss.idleBytesPerSocket),
    kb(cell.gatewayRss.loadBytesPerSocket),
    cell.clientSaturation ? `saturated: ${cell.clientSaturation}` : 'no',
    number(cell.loadAverage, 1),
  ]);
}

function cpuRows(cells: LiveCell[]): string[] {
  const names: string[] = [];
  for (const cell of cells)
    for (const entry of cell.cpu.processes) if (!names.includes(entry.name)) names.push(entry.name);
  const of = (cell: LiveCell, name: string) =>
    cell.cpu.processes.find((entry) => entry.name === name)?.msPerRequest;
  return [
    row(['process', ...cells.map(cellName)]),
    row(['---', ...cells.map(() => '---:')]),
    ...names.map((name) =>
      row([
        name,
        ...cells.map((cell) => {
          const value = of(cell, name);
          return value === undefined ? '–' : ms(value);
        }),
      ]),
    ),
    row(['**total**', ...cells.map((cell) => `**${ms(cell.cpu.totalMs)}**`)]),
    row(['load generator (not in total)', ...cells.map((cell) => ms(cell.clientCpuMsPerDelivery))]),
  ];
}

/** The live benchmark's section of BENCHMARKS.md, from bench/results/live/<date>.json. */
export function renderLiveSection(results: LiveResults, file: string): string[] {
  return [
    `## Live delivery (issue 16), ${results.date}`,
    '',
    `From ${file} (\`npm run bench -- live\`); command \`${results.command}\`; ${results.machine.cpus} CPUs, \`ulimit -n\` ${results.openFileLimit ?? 'unknown'}.`,
    '',
    'Each cell: a fresh platform gateway, that many sockets of distinct users (graphql-ws, one',
    '`notificationAdded` subscription each, held by client worker threads of the bench), then',
    "notifications caused at the rate by `document.updated` Kafka events in the project's format",
    "(one recipient each, recipients taking turns). Latency is from the event's `occurredAt` to the",
    "client's receipt; stored to received is from the notification's `createdAt` (the consumer stored",
    "it) to the receipt, the gateway's share. Received counts each socket's distinct cursors after a drain; error frames are",
    '`next` frames with errors and subscription errors. CPU is per delivered notification, read from',
    '/proc for the gateway, each subgraph and the stores (Kafka included: every notification passes',
    'through it). Gateway RSS per socket: VmRSS with every socket open and subscribed (idle, before any',
    'load) or right after the last event (under load), less VmRSS before the first socket, over the',
    'sockets. A cell is "saturated" when the load generator may have been the limit (its event loop',
    'delayed, or the producer behind its rate). Gateway CPU is its share of one core over the window',
    '(first event to last receipt); its ms per delivery include what it spends whatever the rate',
    '(pings, its own consumer of the event topics), so they are high when few notifications arrive.',
    'PostgreSQL, Redis, Kafka and the MongoDB-wire server are the shared stack: their figures include',
    'whatever else the machine runs meanwhile; "machine load" is the 1-minute load average at the',
    "cell's end (2 CPUs: above 2, the platform waited for a core). Received counts what arrived",
    "within the drain: a notification still in the consumer's backlog then counts as not received.",
    '',
    'Selections:',
    '',
    ...Object.entries(results.selections).map(([id, query]) => `- ${id}: \`${query}\``),
    '',
    '| sockets | delivered/s asked | selection | p50 / p99 ms | stored to received p50 / p99 ms | received of expected | error frames | gateway CPU ms / delivery | gateway CPU | total CPU ms / delivery | gateway RSS / idle socket | gateway RSS / socket under load | load generator | machine load |',
    '| ---: | ---: | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...results.cells.map(cellRow),
    '',
    '### Targets (issue 16 acceptance)',
    '',
    '| target | cell | measured | verdict |',
    '| --- | --- | --- | --- |',
    ...results.verdicts.map((verdict) =>
      row([verdict.goal, verdict.cell ?? '–', verdict.measured, verdicts[verdict.verdict]]),
    ),
    '',
    '### CPU ms per delivered notification, per process',
    '',
    ...cpuRows(results.cells),
    '',
  ];
}

export const LIVE_RUNNING_LINES = [
  '### The live benchmark',
  '',
  '```sh',
  'npm run bench -- live                                                         # the grid',
  'npm run bench -- live --sockets 1000 --rate 100 --selection minimal --seconds 20   # one cell',
  '```',
  '',
  `The grid is BENCH_LIVE_SOCKETS x BENCH_LIVE_RATES x BENCH_LIVE_SELECTIONS; each option after \`live\` replaces its list with one value. A cell measured again on the same day replaces its earlier figures in that day's file. Acceptance: ${number(ACCEPTANCE.sockets)} sockets at ${number(ACCEPTANCE.rate)}/s with zero loss, zero error frames and p99 under ${ACCEPTANCE.p99Ms} ms; the cross-subgraph selection at ${ACCEPTANCE.crossSubgraph.rate}/s with ${number(ACCEPTANCE.crossSubgraph.sockets)} sockets with zero loss and zero error frames; at most ${ACCEPTANCE.gatewayCpuMsPerDelivery} ms of gateway CPU per delivery (minimal); at most ${ACCEPTANCE.idleBytesPerSocket / 1024} KB of gateway RSS per idle socket.`,
  '',
  '| variable | default | what |',
  '| --- | --- | --- |',
  '| `BENCH_LIVE_SOCKETS` | `1000,10000` | sockets per cell (`--sockets`), each a distinct user; needs `ulimit -n` above the largest plus 1,000 |',
  '| `BENCH_LIVE_RATES` | `100,500,1000,2000,5000` | notifications per second asked for (`--rate`), one Kafka event each |',
  '| `BENCH_LIVE_SELECTIONS` | `minimal,cross-subgraph` | the subscription selections (`--selection`) |',
  '| `BENCH_LIVE_SECONDS` | `20` | seconds of load per cell (`--seconds`) |',
  '| `BENCH_LIVE_DRAIN_SECONDS` | `15` | longest wait after the load for notifications on their way before the rest count as lost |',
  '| `BENCH_LIVE_CLIENT_WORKERS` | `0` | client worker threads holding the sockets (`--workers`); 0 is one per 2,500 sockets |',
];
