import type { LiveResults } from './results.js';
import { cellName } from './verdicts.js';

/** What the live run prints on stdout when done: a line per cell and per target. */
export function liveSummaryText(results: LiveResults): string {
  const lines = results.cells.map(
    (cell) =>
      `${cellName(cell)}: ${cell.received}/${cell.expected} received, ${cell.errorFrames} error frames, p50/p99 ${cell.latencyMs.p50}/${cell.latencyMs.p99} ms, gateway ${cell.cpu.targetMs.toFixed(3)} ms CPU/delivery, total ${cell.cpu.totalMs.toFixed(3)} ms, ${(cell.gatewayRss.idleBytesPerSocket / 1024).toFixed(1)} KB/idle socket${cell.clientSaturation ? ` (client saturated: ${cell.clientSaturation})` : ''}`,
  );
  const verdicts = results.verdicts.map(
    (verdict) => `${verdict.verdict.padEnd(12)} ${verdict.goal}: ${verdict.measured}`,
  );
  return [...lines, '', ...verdicts, ''].join('\n');
}
