import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { SEED_SHAPE } from '../query.js';
import { renderBenchmarks } from './benchmarks-markdown.js';
import { judgeGoals } from './goals.js';
import { readProfiles } from './profiles.js';
import { RESULTS_VERSION, type BenchResults, type RunResult } from './results.js';

function run(target: RunResult['target'], connections: number, totalMs: number): RunResult {
  return {
    target,
    scale: 'seed',
    connections,
    requestsPerSecond: 12,
    cleanAnswersPerSecond: 12,
    latencyP50Ms: 80,
    latencyP99Ms: 200,
    latencyAverageMs: 90,
    totalRequests: 120,
    non2xx: 0,
    errorAnswers: 0,
    errors: 0,
    timeouts: 0,
    durationSeconds: 10,
    cpu: {
      processes: [
        { name: 'target', role: 'target', inTotal: true, msPerRequest: 30 },
        { name: 'data-subgraph', role: 'subgraph', inTotal: true, msPerRequest: 20 },
        { name: 'mongo (ferretdb)', role: 'store', inTotal: true, msPerRequest: totalMs - 50 },
        { name: 'kafka', role: 'store', inTotal: false, msPerRequest: 1 },
      ],
      targetMs: 30,
      subgraphsMs: 20,
      totalMs,
    },
    peakMemoryBytes: 100 * 1024 * 1024,
    responseHeaders: {},
  };
}

function results(): BenchResults {
  const runs = [run('a', 1, 150), run('a', 20, 180), run('c', 20, 170)];
  return {
    version: RESULTS_VERSION,
    date: '2026-12-03',
    startedAt: '2026-12-03T18:00:00.000Z',
    finishedAt: '2026-12-03T18:20:00.000Z',
    command: 'npm run bench',
    machine: { cpus: 2, cpuModel: 'test CPU', memoryBytes: 2 ** 34, node: 'v20', os: 'Linux' },
    settings: {
      connections: [1, 20],
      durationSeconds: 10,
      warmupSeconds: 5,
      growConcurrency: 16,
      growVia: 'api',
    },
    workload: {
      query: '{ me { id } }',
      responseBytes: 100,
      seed: SEED_SHAPE,
      scales: [
        {
          id: 'seed',
          other: { users: 0, projects: 0, documents: 0 },
          writeSeconds: 0,
          catchUpSeconds: 0,
        },
      ],
    },
    targets: [
      { id: 'a', name: 'platform gateway', description: 'ours' },
      { id: 'c', name: 'stock Apollo gateway', description: 'theirs' },
    ],
    runs,
    goals: judgeGoals(runs),
  };
}

describe('renderBenchmarks', () => {
  it('tables CPU per request by process and target, with the subgraph and overall totals', () => {
    const markdown = renderBenchmarks(results(), 'bench/results/2026-12-03.json');
    expect(markdown).toContain('### ms per request, seed, 20 connections');
    expect(markdown).toContain('| mongo (ferretdb) | 130.0 | 120.0 |');
    expect(markdown).toContain('| kafka (not in total) | 1.00 | 1.00 |');
    expect(markdown).toContain('| **total** | **180.0** | **170.0** |');
    expect(markdown).toContain('| (a) | 150.0 | 180.0 |');
  });

  it('says which goals were missed and which were not measured', () => {
    const markdown = renderBenchmarks(results(), 'bench/results/2026-12-03.json');
    expect(markdown).toMatch(
      /\| total CPU per uncached dashboard \(a\) at seed <= 60 ms \| 180\.0 ms \| \*\*missed\*\* \|/,
    );
    expect(markdown).toMatch(
      /\| \(b\) clean answers\/s >= 0\.3x \(d\) \| no run of \(b\), \(d\).* \| not measured \|/,
    );
  });

  it('includes every profile verbatim, in name order, under Profiles', () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'bench-profiles-'));
    writeFileSync(path.join(directory, 'subgraphs.md'), '### Subgraphs\n\nTop frames: b.\n');
    writeFileSync(path.join(directory, 'gateway.md'), '### Gateway\n\nTop frames: a.\n');
    writeFileSync(path.join(directory, 'notes.txt'), 'not a profile');
    const markdown = renderBenchmarks(results(), 'bench/results/2026-12-03.json', {
      profiles: readProfiles(directory),
    });
    const profiles = markdown.slice(markdown.indexOf('## Profiles'));
    expect(profiles.indexOf('### Gateway\n\nTop frames: a.')).toBeGreaterThan(0);
    expect(profiles.indexOf('### Subgraphs\n\nTop frames: b.')).toBeGreaterThan(
      profiles.indexOf('### Gateway'),
    );
    expect(markdown).not.toContain('not a profile');
  });

  it('has no Profiles section while there are none', () => {
    expect(
      renderBenchmarks(results(), 'f.json', { profiles: readProfiles('/nonexistent') }),
    ).not.toContain('## Profiles');
  });
});
