import path from 'node:path';
import { benchmarksMarkdown, repoRoot, resultsDir } from '../paths.js';
import type { SeedShape } from '../query.js';
import { readNewestAbuseResults, type AbuseResults } from '../abuse/results.js';
import { readNewestSdkResults, type SdkResults } from '../sdk/results.js';
import { readNewestWebResults, type WebResults } from '../web/results.js';
import { readNewestLiveResults, type LiveResults } from '../live/results.js';
import { ABUSE_RUNNING_LINES, renderAbuseSection } from './abuse-markdown.js';
import { writeFormatted } from './formatted-file.js';
import { LIVE_RUNNING_LINES, renderLiveSection } from './live-markdown.js';
import { JUDGED_CONNECTIONS, MAX_ERROR_SHARE_FOR_CPU, mostlyClean } from './goals.js';
import { readProfiles, type Profile } from './profiles.js';
import { readNewestResults, type BenchResults, type RunResult } from './results.js';

const MIB = 1024 * 1024;

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const memory = (bytes: number | null) => (bytes === null ? 'n/a' : `${number(bytes / MIB)} MiB`);

const milliseconds = (value: number) => `${number(value, value < 10 ? 1 : 0)} ms`;

function seedSentence(seed: SeedShape): string {
  return (
    `Seed: the user owns ${seed.projects} projects of ${seed.documentsPerProject} documents each, ` +
    `with a second user as member; per project the user edits ${seed.ownerEditsPerProject} ` +
    `documents and the member ${seed.memberEditsPerProject}, each of the member's edits notifying ` +
    'the user. The run waits until every stat and notification is in before measuring.'
  );
}

/** Headers that show a policy at work (rate limit, caching), to tell what actually ran. */
const POLICY_HEADER = /ratelimit|rate-limit|cache|^age$/i;

function policyHeaders(run: RunResult): string {
  const names = Object.keys(run.responseHeaders).filter((name) => POLICY_HEADER.test(name));
  return names.length > 0
    ? names.map((name) => `\`${name}: ${run.responseHeaders[name]}\``).join(', ')
    : 'none';
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const divider = (columns: number) => row(['---', ...Array<string>(columns - 1).fill('---:')]);

function throughputRow(run: RunResult, targetName: string): string {
  return row([
    `(${run.target}) ${targetName}`,
    number(run.requestsPerSecond, 1),
    number(run.cleanAnswersPerSecond, 1),
    milliseconds(run.latencyP50Ms),
    milliseconds(run.latencyP99Ms),
    number(run.non2xx),
    number(run.errorAnswers),
    `${number(run.errors)} / ${number(run.timeouts)}`,
    memory(run.peakMemoryBytes),
  ]);
}

const cpuMs = (value: number | undefined) =>
  value === undefined ? '–' : number(value, value < 10 ? 2 : 1);

/** One table per scale and connection count: how fast each target answered. */
function throughputSection(results: BenchResults, nameOf: (id: string) => string): string[] {
  const lines = ['## Throughput', ''];
  for (const scale of results.workload.scales) {
    for (const connections of results.settings.connections) {
      const runs = results.runs.filter(
        (run) => run.scale === scale.id && run.connections === connections,
      );
      if (runs.length === 0) continue;
      lines.push(
        `### ${scale.id}, ${connections} connection${connections === 1 ? '' : 's'}`,
        '',
        '| target | requests/s | clean answers/s | p50 latency | p99 latency | non-2xx | answers with errors | socket errors / timeouts | peak memory |',
        divider(9),
        ...runs.map((run) => throughputRow(run, nameOf(run.target))),
        '',
      );
    }
  }
  return lines;
}

/** Per process (rows) and target (columns): CPU ms per request at one scale and connection count. */
function cpuTable(runs: RunResult[]): string[] {
  const names: string[] = [];
  const entries = (run: RunResult) => run.cpu?.processes ?? [];
  for (const run of runs) {
    for (const entry of entries(run)) if (!names.includes(entry.name)) names.push(entry.name);
  }
  const msOf = (run: RunResult, name: string) =>
    entries(run).find((entry) => entry.name === name)?.msPerRequest;
  const subgraphRows = names.filter((name) =>
    runs.some((run) => entries(run).some((e) => e.name === name && e.role === 'subgraph')),
  );
  const outOfTotal = (name: string) =>
    runs.some((run) => entries(run).some((e) => e.name === name && !e.inTotal));
  const processRow = (name: string) =>
    row([
      outOfTotal(name) ? `${name} (not in total)` : name,
      ...runs.map((run) => cpuMs(msOf(run, name))),
    ]);
  return [
    row(['process', ...runs.map((run) => `(${run.target})${mostlyClean(run) ? '' : ' †'}`)]),
    divider(runs.length + 1),
    processRow('target'),
    ...subgraphRows.map(processRow),
    row(['**subgraphs total**', ...runs.map((run) => `**${cpuMs(run.cpu?.subgraphsMs)}**`)]),
    ...names.filter((name) => name !== 'target' && !subgraphRows.includes(name)).map(processRow),
    row(['**total**', ...runs.map((run) => `**${cpuMs(run.cpu?.totalMs)}**`)]),
  ];
}

function cpuSection(results: BenchResults): string[] {
  const { connections } = results.settings;
  const judged = connections.includes(JUDGED_CONNECTIONS)
    ? JUDGED_CONNECTIONS
    : Math.max(...connections);
  const lines = [
    '## CPU per request',
    '',
    'CPU time (user + system, every thread) of each process and all its descendants, read from',
    '`/proc/<pid>/stat` just before and just after the measured window, divided by the requests',
    "completed in it. The target is the gateway's whole process tree (primary and workers); PostgreSQL",
    "is the postmaster and every backend, FerretDB's included. The stack is shared with whatever else",
    'runs on the machine, so its figures include that. The total counts the target, the subgraphs,',
    'the MongoDB-wire server, PostgreSQL and Redis; Kafka is shown apart (a dashboard sends no',
    'events).',
    '',
  ];
  for (const scale of results.workload.scales) {
    const runs = results.runs.filter((run) => run.scale === scale.id && run.connections === judged);
    if (runs.length === 0) continue;
    lines.push(
      `### ms per request, ${scale.id}, ${judged} connection${judged === 1 ? '' : 's'}`,
      '',
      ...cpuTable(runs),
      '',
    );
    if (runs.some((run) => !mostlyClean(run))) {
      lines.push(
        `† more than ${MAX_ERROR_SHARE_FOR_CPU * 100}% of its answers had errors: its figures are not a dashboard's cost, and no goal reads them.`,
        '',
      );
    }
  }
  const columns = results.workload.scales.flatMap((scale) =>
    connections.map((count) => ({ scale: scale.id, connections: count })),
  );
  const targetIds = results.targets.map((target) => target.id);
  lines.push(
    '### Total ms per request, every scale and connection count',
    '',
    row(['target', ...columns.map((column) => `${column.scale} x ${column.connections}`)]),
    divider(columns.length + 1),
    ...targetIds.map((id) =>
      row([
        `(${id})`,
        ...columns.map((column) =>
          cpuMs(
            results.runs.find(
              (run) =>
                run.target === id &&
                run.scale === column.scale &&
                run.connections === column.connections,
            )?.cpu?.totalMs,
          ),
        ),
      ]),
    ),
    '',
  );
  return lines;
}

function scalesSection(results: BenchResults): string[] {
  return [
    '## Data scales',
    '',
    "The benchmark user's dashboard is the same at every scale (checked); other users, who share",
    'nothing with it, add projects and documents to the same collections.',
    results.settings.growVia === 'api'
      ? `They sign up and create them through the gateway (signUp, createProject, createDocument, ${results.settings.growConcurrency} requests in flight), so every store and consumer sees them, and the run waits until analytics has counted them.`
      : `They sign up and create their projects through the gateway (${results.settings.growConcurrency} requests in flight), but their documents were inserted straight into the data subgraph's \`documents\` collection with the mongodb driver (BENCH_GROW_VIA=driver), so analytics and notification have no events for them.`,
    '',
    '| scale | other users | their projects | their documents | writing | consumers catching up |',
    divider(6),
    ...results.workload.scales.map((scale) =>
      row([
        scale.id,
        number(scale.other.users),
        number(scale.other.projects),
        number(scale.other.documents),
        `${number(scale.writeSeconds, 1)} s`,
        `${number(scale.catchUpSeconds, 1)} s`,
      ]),
    ),
    '',
  ];
}

function goalsSection(results: BenchResults): string[] {
  const verdicts = { met: 'met', missed: '**missed**', 'not measured': 'not measured' } as const;
  return [
    '## Goals (issue 11)',
    '',
    `Judged at ${JUDGED_CONNECTIONS} connections, at the seed scale unless the goal names one; throughput is clean answers per second, so a target cannot meet a goal by answering errors fast.`,
    '',
    '| goal | measured | verdict |',
    '| --- | --- | --- |',
    ...results.goals.map((goal) => row([goal.goal, goal.measured, verdicts[goal.verdict]])),
    '',
  ];
}

function profilesSection(profiles: Profile[]): string[] {
  if (profiles.length === 0) return [];
  return [
    '## Profiles',
    '',
    ...profiles.flatMap((profile) => [
      `<!-- ${profile.file}, included verbatim -->`,
      '',
      profile.text.trimEnd(),
      '',
    ]),
  ];
}

const bytes = (value: number) => `${number(value / 1024, 1)} KiB`;

/** The SDK section, from bench/results/sdk/<date>.json. */
function sdkSection(sdk: SdkResults, sdkFile: string): string[] {
  const { bundle, overhead } = sdk;
  const met = overhead.overheadP50Percent < sdk.overheadTargetPercent;
  return [
    `## The SDK (\`@acme/sdk\`), ${sdk.date}`,
    '',
    `From ${sdkFile} (\`npm run bench:sdk\`, also run by \`npm run bench\`).`,
    '',
    '| bundle (esbuild, ESM, browser, minified) | min | min+gzip |',
    '| --- | ---: | ---: |',
    `| core: \`Client\` with \`request\` and \`subscribe\` (graphql-ws included) | ${bytes(bundle.core.minBytes)} | ${bytes(bundle.core.gzipBytes)} |`,
    `| all: every service namespace and generated operation | ${bytes(bundle.all.minBytes)} | ${bytes(bundle.all.gzipBytes)} |`,
    '',
    `Overhead per query: the same \`me\` query ${number(overhead.requests)} times, one at a time, against`,
    'a local server answering fixed bytes, by a bare `fetch` and by `client.users.me()` (persisted',
    'query hash, retries, error mapping), in alternating blocks.',
    '',
    '| client | p50 | p99 |',
    '| --- | ---: | ---: |',
    `| bare \`fetch\` | ${overhead.fetchP50Ms.toFixed(3)} ms | ${overhead.fetchP99Ms.toFixed(3)} ms |`,
    `| \`@acme/sdk\` | ${overhead.sdkP50Ms.toFixed(3)} ms | ${overhead.sdkP99Ms.toFixed(3)} ms |`,
    '',
    `Goal: under ${sdk.overheadTargetPercent}% at p50; measured ${number(overhead.overheadP50Percent, 1)}%: ${met ? 'met' : '**missed**'}.`,
    '',
  ];
}

/** The web app section, from bench/results/web/<date>.json. */
function webSection(web: WebResults, webFile: string): string[] {
  const { bundle, signIn } = web;
  const met = bundle.initialJsGzipBytes < web.bundleTargetGzipBytes;
  return [
    `## The web app (\`web/\`), ${web.date}`,
    '',
    `From ${webFile} (\`npm run bench:web\`, also run by \`npm run bench\`).`,
    '',
    '| production build (`vite build`) | raw | gzip |',
    '| --- | ---: | ---: |',
    `| initial JavaScript (what index.html loads: ${bundle.initialJsFiles.length} file${bundle.initialJsFiles.length === 1 ? '' : 's'}) | ${bytes(bundle.initialJsBytes)} | ${bytes(bundle.initialJsGzipBytes)} |`,
    `| CSS | | ${bytes(bundle.cssGzipBytes)} |`,
    '',
    `Goal: initial JavaScript under ${bytes(web.bundleTargetGzipBytes)} gzip; measured ${bytes(bundle.initialJsGzipBytes)}: ${met ? 'met' : '**missed**'}.`,
    '',
    `Sign-in to a rendered dashboard in headless Chromium (the seeded owner, served by the platform`,
    `gateway with its response cache on; from the click on "Sign in" to the first row of the projects`,
    `table), ${signIn.runs} runs in one browser context: median ${number(signIn.medianMs)} ms, min ${number(signIn.minMs)} ms, max ${number(signIn.maxMs)} ms; the first run (cold HTTP cache) ${number(signIn.coldMs)} ms.`,
    '',
  ];
}

/**
 * BENCHMARKS.md from the newest results of each kind: the full run's, the SDK's, the web
 * app's and the abuse soak's; the whole file is generated.
 */
export function renderBenchmarks(
  results: BenchResults,
  resultsFile: string,
  {
    sdk,
    web,
    profiles = [],
    abuse,
    live,
  }: {
    sdk?: { results: SdkResults; file: string };
    web?: { results: WebResults; file: string };
    profiles?: Profile[];
    abuse?: { results: AbuseResults; file: string };
    live?: { results: LiveResults; file: string };
  } = {},
): string {
  const { machine, settings } = results;
  const nameOf = (id: string) => results.targets.find((target) => target.id === id)?.name ?? id;
  const policyRuns = results.runs.filter(
    (run) =>
      (run.target === 'a' || run.target === 'b') &&
      run.scale === results.workload.scales[0]?.id &&
      run.connections === Math.max(...settings.connections),
  );
  const lines = [
    '# Benchmarks',
    '',
    `<!-- generated by npm run bench (bench/src/report/benchmarks-markdown.ts) from ${resultsFile}; edits here are overwritten -->`,
    '',
    "One federated query, the dashboard of a user (their projects, each project's documents with",
    "their authors and its stats, the user's activity and notifications), touches all four subgraphs",
    'with nested lists. The same four subgraph processes, on a seeded database of their own, serve',
    'every target; each target runs as a fresh process of its own, at each data scale:',
    '',
    ...results.targets.map(
      (target) => `- **(${target.id}) ${target.name}**: ${target.description}.`,
    ),
    '',
    `## Latest run: ${results.date}`,
    '',
    `- Machine: ${machine.cpus} CPUs (\`nproc\`), ${machine.cpuModel}, ${number(machine.memoryBytes / 1024 ** 3, 1)} GiB memory, Node ${machine.node}, ${machine.os}`,
    `- Command: \`${results.command}\``,
    `- Load: ${settings.connections.join(' and ')} connections, closed loop (autocannon), ${settings.durationSeconds} s per target, scale and connection count, each after a ${settings.warmupSeconds} s warm-up; response ${number(results.workload.responseBytes)} bytes`,
    '- Answers with errors: responses that were not a clean `{"data": ...}` (GraphQL errors such as a subgraph timeout, and any non-2xx).',
    ...policyRuns.map(
      (run) =>
        `- Policy headers on (${run.target})'s answer after its run (${run.scale}, ${run.connections} connections): ${policyHeaders(run)}`,
    ),
    '- Peak memory: VmHWM of the target process (/proc/<pid>/status) after its run (for several processes, the primary).',
    '',
    ...goalsSection(results),
    ...scalesSection(results),
    ...throughputSection(results, nameOf),
    ...cpuSection(results),
    'The load generator, the gateway, the four subgraphs and the stores share the machine, so the',
    'numbers say how the targets compare here, not what any of them does on a machine of its own.',
    'When the subgraphs cannot keep up with the load, the platform gateway shows it as answers with',
    'errors (its subgraph timeout and circuit breaker), the stock gateway, which has neither, as latency.',
    '',
    ...profilesSection(profiles),
    ...(sdk ? sdkSection(sdk.results, sdk.file) : []),
    ...(web ? webSection(web.results, web.file) : []),
    ...(abuse ? renderAbuseSection(abuse.results, abuse.file) : []),
    ...(live ? renderLiveSection(live.results, live.file) : []),
    '## The query',
    '',
    '```graphql',
    results.workload.query,
    '```',
    '',
    seedSentence(results.workload.seed),
    '',
    '## Running it',
    '',
    '```sh',
    'npm run bench',
    '```',
    '',
    'It brings the stack up (`npm run stack -- up`), creates databases and Kafka consumer groups of',
    'its own, starts the four subgraphs, seeds through the gateway, then at each scale (growing the',
    'database between them) checks that every target answers the query with the same data and no',
    'errors and measures the targets one after another at each connection count, writes',
    '`bench/results/<YYYY-MM-DD>.json`, regenerates this file from the newest results file, and drops',
    'what it created. Services log to a temporary folder named at start.',
    '',
    '| variable | default | what |',
    '| --- | --- | --- |',
    '| `BENCH_DURATION_SECONDS` | `10` | measured seconds per target, scale and connection count |',
    '| `BENCH_WARMUP_SECONDS` | `5` | unmeasured load before each measured run (it warms the response caches of b and e+cache) |',
    '| `BENCH_CONNECTIONS` | `1,20` | concurrent connections, each measured in turn, the same for every target |',
    '| `BENCH_SCALES` | `seed,10x,100x` | data scales, in growing order |',
    '| `BENCH_TARGETS` | `a,a2,a+dedup,b,c,d,e,e+dedup,e+cache` | targets, in order; must start with `a` |',
    '| `BENCH_GROW_CONCURRENCY` | `16` | requests in flight while the database grows |',
    '| `BENCH_GROW_VIA` | `api` | `api`: other users write through the gateway; `driver`: their documents go straight into the data collection |',
    '| `BENCH_SEED_TIMEOUT_SECONDS` | `180` | longest wait for the consumers after the seed or a growth |',
    '',
    ...ABUSE_RUNNING_LINES,
    '',
    ...LIVE_RUNNING_LINES,
    '',
  ];
  return lines.join('\n');
}

/**
 * Rewrites BENCHMARKS.md from the newest file of each kind in bench/results (so a soak alone keeps
 * the full run's sections, and a full run keeps the soak's); returns the full run's file.
 */
export async function regenerateBenchmarksMarkdown(): Promise<string> {
  const newest = readNewestResults(resultsDir);
  if (!newest) throw new Error(`no results of the current shape in ${resultsDir}`);
  const relative = path.relative(repoRoot, newest.file);
  const sdk = readNewestSdkResults();
  const web = readNewestWebResults();
  const abuse = readNewestAbuseResults(resultsDir);
  const live = readNewestLiveResults();
  await writeFormatted(
    benchmarksMarkdown,
    renderBenchmarks(newest.results, relative, {
      sdk: sdk && { results: sdk.results, file: path.relative(repoRoot, sdk.file) },
      web: web && { results: web.results, file: path.relative(repoRoot, web.file) },
      profiles: readProfiles(),
      abuse: abuse && { results: abuse.results, file: path.relative(repoRoot, abuse.file) },
      live: live && { results: live.results, file: path.relative(repoRoot, live.file) },
    }),
  );
  return newest.file;
}
