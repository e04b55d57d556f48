import { describe, expect, it } from '@jest/globals';
import { summarizeCpu, type MeasuredProcess } from './per-request.js';

const measured: MeasuredProcess[] = [
  { name: 'target', role: 'target', roots: [1], inTotal: true },
  { name: 'user-subgraph', role: 'subgraph', roots: [2], inTotal: true },
  { name: 'data-subgraph', role: 'subgraph', roots: [3], inTotal: true },
  { name: 'mongo (ferretdb)', role: 'store', roots: [4], inTotal: true },
  { name: 'kafka', role: 'store', roots: [5], inTotal: false },
];

describe('summarizeCpu', () => {
  it('sums the subgraphs, and everything but what is kept out of the total', () => {
    const summary = summarizeCpu(measured, {
      target: 10,
      'user-subgraph': 3,
      'data-subgraph': 7,
      'mongo (ferretdb)': 20,
      kafka: 4,
    });
    expect(summary).toMatchObject({ targetMs: 10, subgraphsMs: 10, totalMs: 40 });
    expect(summary.processes.map(({ name }) => name)).toEqual(measured.map(({ name }) => name));
  });

  it('leaves out a process that has no figure instead of counting it as zero', () => {
    const summary = summarizeCpu(measured, { target: 10, 'user-subgraph': 3 });
    expect(summary.processes.map(({ name }) => name)).toEqual(['target', 'user-subgraph']);
    expect(summary.totalMs).toBe(13);
  });
});
