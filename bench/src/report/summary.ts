import type { BenchResults } from './results.js';

const MIB = 1024 * 1024;

/** The run's results as a plain-text table for the terminal. */
export function summaryText(results: BenchResults): string {
  const header = [
    'target',
    'req/s',
    'clean/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'error answers',
    'peak MiB',
  ];
  const rows = results.targets.map((target) => [
    `(${target.id}) ${target.name}`,
    target.requestsPerSecond.toFixed(1),
    target.cleanAnswersPerSecond.toFixed(1),
    String(target.latencyP50Ms),
    String(target.latencyP99Ms),
    String(target.non2xx),
    String(target.errorAnswers),
    target.peakMemoryBytes === null ? 'n/a' : String(Math.round(target.peakMemoryBytes / MIB)),
  ]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  const goals = results.goals.map(
    (goal) => `${goal.name}: ${goal.ratio.toFixed(2)}x, ${goal.met ? 'met' : 'MISSED'}`,
  );
  return [line(header), ...rows.map(line), '', ...goals, ''].join('\n');
}
