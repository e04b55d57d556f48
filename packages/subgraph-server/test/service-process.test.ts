import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually, freePort, recordingLogger } from '@platform/testing';
import { superviseServiceProcess, type SupervisedService } from '../src/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const policy = { crashLoopAfter: 3, readyTimeoutMs: 30_000, stopTimeoutMs: 5_000 };
const running: SupervisedService[] = [];

async function supervise(script: string) {
  const { logger, records } = recordingLogger();
  const port = await freePort();
  const service = superviseServiceProcess(
    {
      name: 'fixture',
      cwd: process.cwd(),
      args: ['--import', 'tsx', fixture(script)],
      port,
      env: { ...process.env, PORT: String(port) },
    },
    logger,
    policy,
  );
  running.push(service);
  return { service, records, messages: () => records.map((record) => record.message) };
}

afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

describe('a supervised service process', () => {
  it('is restarted with backoff each time it exits, and reported as crash-looping past the limit', async () => {
    const { service, records, messages } = await supervise('exits-at-once.ts');
    void service.start();
    await eventually(() => records.find((record) => record.level === 'error'), {
      timeoutMs: 30_000,
      what: 'the crash loop reported',
    });
    const exits = records.filter((record) =>
      /^service (exited|is crash-looping)/.test(record.message),
    );
    // 500 ms, 1 s, then the third crash in a row: every restart from now on is an error.
    expect(exits.map((record) => record.level)).toEqual(['warn', 'warn', 'error']);
    expect(exits[2]!.message).toBe(
      'service is crash-looping; still restarting it at the backoff delay',
    );
    expect(messages().filter((message) => message === 'service started')).toHaveLength(3);
    expect(await service.stop()).toBe(true);
  }, 60_000);

  it('is ready once it answers /health/ready, restarted after a kill -9, and stopped for good by SIGTERM', async () => {
    const { service, messages } = await supervise('healthy-service.ts');
    await service.start();
    expect(messages()).toEqual(['service started', 'service ready']);
    const first = service.pid!;

    process.kill(first, 'SIGKILL');
    await eventually(
      () => messages().filter((message) => message === 'service ready').length === 2 || undefined,
      { timeoutMs: 30_000, what: 'the restarted service ready' },
    );
    expect(service.pid).not.toBe(first);
    expect(messages()).toContain('service exited unexpectedly; restarting it');

    expect(await service.stop()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(service.pid).toBeUndefined();
    expect(messages().at(-1)).toBe('service stopped');
    expect(messages().filter((message) => message === 'service started')).toHaveLength(2);
  }, 60_000);
});
