import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, eventually, freePort } from '@platform/testing';
import { loadUserConfig } from '../src/index.js';
import { GATEWAY_SECRET, JWT_SECRET } from './harness.js';

const workspace = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = fileURLToPath(
  new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url),
);

/** GET /health/live on a fresh connection (round-robin hands out connections, not requests). */
function servingPid(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/health/live', agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve((JSON.parse(body) as { pid: number }).pid));
      })
      .on('error', reject)
      .setTimeout(5000, function (this: http.ClientRequest) {
        this.destroy(new Error('no answer in 5 s'));
      });
  });
}

async function servingPids(port: number, connections = 12): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < connections; i++) pids.add(await servingPid(port));
  return pids;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('WORKER_PROCESSES', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let primary: ChildProcess;
  let exited: Promise<number | null>;
  let port: number;
  let output = '';

  beforeAll(async () => {
    database = await createTestDatabase('user_workers');
    port = await freePort();
    // The real user subgraph, started as `npm start` starts it: its own main.ts in its own process.
    primary = spawn(process.execPath, ['--import', tsxLoader, 'src/main.ts'], {
      cwd: workspace,
      env: {
        ...process.env,
        WORKER_PROCESSES: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        JWT_SECRET,
        GATEWAY_SECRET,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => primary.once('exit', (code) => resolve(code)));
  }, 60_000);

  afterAll(async () => {
    if (primary.exitCode === null && primary.signalCode === null) primary.kill('SIGKILL');
    await database.drop();
  });

  it('serves one port from two worker processes, replaces a killed one, and stops them all on SIGTERM', async () => {
    await expect(servesAndReplaces()).resolves.toBe('stopped');
  }, 150_000);

  /** The scenario; on failure the service's own output says what it did. */
  async function servesAndReplaces(): Promise<string> {
    try {
      await scenario();
      return 'stopped';
    } catch (error) {
      throw new Error(`${String(error)}\n--- the service's output ---\n${output.slice(-4000)}`);
    }
  }

  async function scenario() {
    const first = await eventually(
      async () => {
        const pids = await servingPids(port);
        expect(pids.size).toBe(2);
        return pids;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'two workers serving' },
    );
    expect(first.has(primary.pid!)).toBe(false);

    const [killed, survivor] = [...first] as [number, number];
    process.kill(killed, 'SIGKILL');
    const second = await eventually(
      async () => {
        const pids = await servingPids(port);
        expect(pids.size).toBe(2);
        expect(pids.has(killed)).toBe(false);
        return pids;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'a replacement worker' },
    );
    expect(second.has(survivor)).toBe(true);
    expect(output).toContain('worker process exited unexpectedly');

    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of second) expect(isRunning(pid)).toBe(false);
  }

  it('refuses a WORKER_PROCESSES that is not a whole number >= 1, naming the variable', () => {
    const base = { JWT_SECRET, GATEWAY_SECRET };
    expect(() => loadUserConfig({ ...base, WORKER_PROCESSES: '0' })).toThrow(/WORKER_PROCESSES/);
    expect(() => loadUserConfig({ ...base, WORKER_PROCESSES: 'two' })).toThrow(/WORKER_PROCESSES/);
    expect(loadUserConfig(base).WORKER_PROCESSES).toBe(1);
    expect(loadUserConfig({ ...base, WORKER_PROCESSES: '3' }).WORKER_PROCESSES).toBe(3);
  });
});
