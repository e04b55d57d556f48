import type { BenchResults } from './results.js';

/** Rows as a plain-text table: the first column left-aligned, the rest right-aligned. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => row[column]!.length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  return [line(header), ...rows.map(line)];
}

/** The run's results for the terminal: one table per scale and connection count, then the goals. */
export function summaryText(results: BenchResults): string {
  const header = [
    'target',
    'req/s',
    'clean/s',
    'p50 ms',
    'p99 ms',
    'error answers',
    'CPU ms/req: target',
    'subgraphs',
    'total',
  ];
  const lines: string[] = [];
  for (const scale of results.workload.scales) {
    for (const connections of results.settings.connections) {
      const runs = results.runs.filter(
        (run) => run.scale === scale.id && run.connections === connections,
      );
      if (runs.length === 0) continue;
      lines.push(`${scale.id}, ${connections} connections:`);
      lines.push(
        ...table(
          header,
          runs.map((run) => [
            `(${run.target})`,
            run.requestsPerSecond.toFixed(1),
            run.cleanAnswersPerSecond.toFixed(1),
            String(run.latencyP50Ms),
            String(run.latencyP99Ms),
            String(run.errorAnswers),
            run.cpu?.targetMs.toFixed(1) ?? '–',
            run.cpu?.subgraphsMs.toFixed(1) ?? '–',
            run.cpu?.totalMs.toFixed(1) ?? '–',
          ]),
        ),
        '',
      );
    }
  }
  const verdicts = { met: 'met', missed: 'MISSED', 'not measured': 'not measured' } as const;
  lines.push(
    ...results.goals.map((goal) => `${goal.goal}: ${goal.measured}, ${verdicts[goal.verdict]}`),
  );
  return [...lines, ''].join('\n');
}
