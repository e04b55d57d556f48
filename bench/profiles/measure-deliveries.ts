/**
 * Gateway CPU per delivered `notificationAdded` notification, and (with --cpu-prof) the gateway's
 * top self-time frames while delivering. How bench/notes/cheap-deliveries.md was measured:
 *
 *   npx tsx --conditions=development bench/profiles/measure-deliveries.ts \
 *     [--gateway-root <checkout whose gateway runs; default this one>] [--sockets 500] \
 *     [--rate 1000] [--seconds 20] [--recipients 50] [--cpu-prof <dir>]
 *
 * The four subgraphs of this checkout run as processes on the run's own stores
 * (bench/src/subgraphs.ts, bench/src/stores.ts); the gateway runs from `--gateway-root` (so a
 * before/after is the same driver against two gateways). `--sockets` graphql-ws sockets, each of
 * a distinct user (access tokens minted with the run's JWT_SECRET), each subscribe with the
 * minimal selection. Notifications are caused by Kafka events in the project's own format
 * (`createEvent`/`toKafkaMessage`, `document.updated`), each notifying `--recipients` of the users,
 * produced at `--rate` / `--recipients` events per second for `--seconds`. The notification
 * subgraph's consumer stores and publishes them; CPU is the gateway process's utime + stime from
 * /proc/<pid>/stat over the window from the first event to the last delivery, divided by the
 * deliveries. This is a small local driver for item 2 of issue 16; the full grid is
 * `npm run bench -- live`.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, type Client } from 'graphql-ws';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import WebSocket from 'ws';
import { stackEndpoints } from '@platform/config';
import { ALL_EVENT_TOPICS, createEvent, toKafkaMessage } from '@platform/events';
import { issueAccessToken } from '@platform/identity';
import { freePort } from '@platform/testing';
import { repoRoot, tsxLoader } from '../src/paths.js';
import { freshSecrets } from '../src/secrets.js';
import { stackUp } from '../src/stack.js';
import { createBenchStores } from '../src/stores.js';
import { startSubgraphs, SUBGRAPH_NAMES } from '../src/subgraphs.js';

const { values: args } = parseArgs({
  options: {
    'gateway-root': { type: 'string', default: repoRoot },
    sockets: { type: 'string', default: '500' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    recipients: { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
  },
});
const sockets = Number(args.sockets);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const recipientsPerEvent = Math.min(Number(args.recipients), sockets);
const gatewayRoot = path.resolve(args['gateway-root']);

const MINIMAL = `subscription { notificationAdded { id kind createdAt read message cursor } }`;

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** The gateway as `npm start` runs it, with `--cpu-prof` when asked (NODE_OPTIONS refuses it). */
async function startGateway(env: Record<string, string>, logDir: string, profileDir?: string) {
  const port = await freePort();
  const log = openSync(path.join(logDir, 'gateway.log'), 'a');
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...flags, '--import', tsxLoader, 'src/main.ts'], {
    cwd: path.join(gatewayRoot, 'gateway'),
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(250)) {
    if (child.exitCode !== null) throw new Error(`gateway exited; see ${logDir}/gateway.log`);
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { pid: child.pid!, baseUrl, stop };
  }
  await stop();
  throw new Error(`gateway not ready in 120 s; see ${logDir}/gateway.log`);
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const dependency = /.*\/node_modules\/(.*)$/.exec(file);
  if (dependency) return dependency[1]!;
  const platform = /\/((packages|subgraphs|gateway|bench)\/.*)$/.exec(file);
  return platform ? platform[1]! : file;
}

/** Self-time share of each frame among the busy samples inside [from, to] (µs, CLOCK_MONOTONIC). */
function topFrames(file: string, from: bigint, to: bigint, limit = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const counts = new Map<string, number>();
  let busy = 0;
  let time = profile.startTime;
  profile.samples.forEach((nodeId, index) => {
    time += profile.timeDeltas[index]!;
    const frame = frames.get(nodeId);
    if (time < Number(from) || time > Number(to) || !frame || frame.functionName === '(idle)')
      return;
    busy++;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([frame, count]) => `${((100 * count) / busy).toFixed(1).padStart(5)}%  ${frame}`);
}

interface Socket {
  client: Client;
  received: number;
  errors: number;
  latencies: number[];
}

const note = (text: string) => process.stderr.write(`[deliveries] ${text}\n`);

/** The run's fresh consumer groups start at the end of the shared topics, not their history. */
async function startGroupsAtEnd(kafka: Kafka, groups: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const groupId of groups) {
      for (const topic of ALL_EVENT_TOPICS) {
        // Explicit offsets: resetOffsets' "latest" (-1) reads as no offset, i.e. from the beginning.
        const partitions = (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({
          partition,
          offset: high,
        }));
        await admin.setOffsets({ groupId, topic, partitions });
      }
    }
  } finally {
    await admin.disconnect();
  }
}

async function main() {
  await stackUp();
  const runId = `deliveries${Date.now()}`;
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'deliveries-'));
  note(`service logs: ${logDir}`);
  const secrets = freshSecrets();
  const stores = await createBenchStores(runId);
  const stops: Array<() => Promise<void>> = [async () => stores.drop()];
  const kafka = new Kafka({
    clientId: 'measure-deliveries',
    brokers: stackEndpoints().kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  await startGroupsAtEnd(kafka, Object.values(stores.kafkaGroups));
  note('consumer groups start at the end of the topics');
  const sent = new Map<string, bigint>();
  const opened: Socket[] = [];
  try {
    const subgraphs = await startSubgraphs({
      stores,
      secrets,
      postgresUrl: stackEndpoints().postgres.url,
      logDir,
    });
    stops.push(subgraphs.stop);
    note('subgraphs ready');
    const profileDir = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const gateway = await startGateway(
      {
        ...secrets,
        ...Object.fromEntries(
          SUBGRAPH_NAMES.map((name) => [
            `SUBGRAPH_URL_${name.toUpperCase()}`,
            subgraphs.urls[name],
          ]),
        ),
        SUPERGRAPH_PATH: path.join(gatewayRoot, 'schema', 'supergraph.graphql'),
        METRICS_PORT: String(await freePort()),
        RATE_LIMIT_USER_CAPACITY: '1000000000',
        RATE_LIMIT_USER_REFILL_PER_SECOND: '1000000000',
        SUBGRAPH_TIMEOUT_MS: '30000',
        // No cache, so no cache-invalidation consumer in a group shared with other gateways.
        RESPONSE_CACHE_ENABLED: 'false',
        LOG_LEVEL: 'warn',
      },
      logDir,
      profileDir,
    );
    stops.push(gateway.stop);
    note('gateway ready');

    const users = Array.from(
      { length: sockets },
      (_, index) => `bench-recipient-${runId}-${index}`,
    );
    let subscribed = 0;
    for (const userId of users) {
      const { token } = await issueAccessToken({ userId, role: 'USER' }, secrets.JWT_SECRET, 3600);
      const socket: Socket = {
        client: createClient({
          url: `${gateway.baseUrl.replace(/^http/, 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          retryAttempts: 0,
          on: { connected: () => void (subscribed += 1) },
        }),
        received: 0,
        errors: 0,
        latencies: [],
      };
      socket.client.subscribe(
        { query: MINIMAL },
        {
          next: (result) => {
            const at = process.hrtime.bigint();
            if (result.errors?.length) socket.errors += 1;
            const notification = result.data?.notificationAdded as { message?: string } | undefined;
            if (!notification) return;
            socket.received += 1;
            const title = /"(.*)"/.exec(notification.message ?? '')?.[1];
            const start = title ? sent.get(title) : undefined;
            if (start !== undefined) socket.latencies.push(Number(at - start) / 1e6);
          },
          error: () => void (socket.errors += 1),
          complete: () => {},
        },
      );
      opened.push(socket);
    }
    for (const deadline = Date.now() + 60_000; subscribed < sockets; await sleep(100)) {
      if (Date.now() > deadline)
        throw new Error(`only ${subscribed} of ${sockets} sockets connected`);
    }
    await sleep(2000); // every subscription's channel subscribed
    note(`${subscribed} sockets connected`);

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    stops.push(() => producer.disconnect());
    const produce = async (title: string, recipients: string[]) => {
      const event = createEvent('document.updated', {
        actor: { userId: `bench-actor-${runId}` },
        subject: { type: 'document', id: `bench-document-${runId}` },
        data: {
          projectId: `bench-project-${runId}`,
          title,
          version: 1,
          changedFields: ['title'],
          memberIds: recipients,
        },
      });
      const { topic, message } = toKafkaMessage(event);
      sent.set(title, process.hrtime.bigint());
      await producer.send({ topic, messages: [message] });
    };

    // Warm-up: every socket gets one notification (JIT, connections, plans), not measured.
    for (let at = 0; at < sockets; at += recipientsPerEvent) {
      await produce(`warm-${at}`, users.slice(at, at + recipientsPerEvent));
    }
    const total = () => opened.reduce((sum, socket) => sum + socket.received, 0);
    // The consumer may first work through what the shared topics hold from before the reset.
    for (const deadline = Date.now() + 300_000; total() < sockets && Date.now() < deadline;)
      await sleep(100);
    const warm = total();
    note(`warm-up: ${warm} delivered; measuring`);
    if (warm < sockets) process.stderr.write(`warm-up: ${warm} of ${sockets} delivered\n`);
    for (const socket of opened) socket.latencies.length = 0;

    const eventsPerSecond = rate / recipientsPerEvent;
    const events = Math.round(eventsPerSecond * seconds);
    const expected = events * recipientsPerEvent;
    const cpuBefore = cpuMs(gateway.pid);
    const from = process.hrtime.bigint();
    const startedAt = Date.now();
    for (let index = 0; index < events; index++) {
      const due = startedAt + (index * 1000) / eventsPerSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      const first = (index * recipientsPerEvent) % sockets;
      const recipients = Array.from(
        { length: recipientsPerEvent },
        (_, offset) => users[(first + offset) % sockets]!,
      );
      void produce(`event-${index}`, recipients);
    }
    for (const deadline = Date.now() + 60_000; total() - warm < expected && Date.now() < deadline;)
      await sleep(20);
    const to = process.hrtime.bigint();
    note('measured; stopping');
    const cpu = cpuMs(gateway.pid) - cpuBefore;
    const delivered = total() - warm;
    const latencies = opened.flatMap((socket) => socket.latencies).sort((a, b) => a - b);
    const quantile = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]?.toFixed(0);
    const errors = opened.reduce((sum, socket) => sum + socket.errors, 0);
    process.stdout.write(
      `gateway ${gatewayRoot}\n` +
        `${sockets} sockets, ${rate}/s asked for ${seconds} s (${recipientsPerEvent} recipients per event)\n` +
        `delivered ${delivered} of ${expected}, error frames ${errors}, ` +
        `p50/p99 ${quantile(0.5)}/${quantile(0.99)} ms (event produced -> client received)\n` +
        `gateway CPU ${cpu.toFixed(0)} ms over ${(Number(to - from) / 1e9).toFixed(1)} s: ` +
        `${(cpu / Math.max(1, delivered)).toFixed(3)} ms per delivered notification\n`,
    );

    for (const socket of opened) await socket.client.dispose();
    opened.length = 0;
    await gateway.stop();
    if (profileDir) {
      const file = readdirSync(profileDir)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => path.join(profileDir, name))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0]; // the main thread's
      if (file) {
        process.stdout.write(
          `\ntop self-time frames, delivery window ${from / 1000n}-${to / 1000n} µs (${file}):\n`,
        );
        for (const line of topFrames(file, from / 1000n, to / 1000n)) {
          process.stdout.write(`${line}\n`);
        }
      }
    }
  } finally {
    for (const socket of opened) await socket.client.dispose();
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
    }
  }
}

await main();
