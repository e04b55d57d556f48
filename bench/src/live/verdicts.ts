import type { LiveCell } from './results.js';

export type Verdict = 'met' | 'missed' | 'not measured';

/** One of issue 16's benchmark targets, judged on the cell named in `cell`. */
export interface LiveVerdict {
  goal: string;
  /** `sockets x rate/s selection` of the cell judged, or null when none was measured. */
  cell: string | null;
  measured: string;
  verdict: Verdict;
}

export const ACCEPTANCE = {
  sockets: 10_000,
  rate: 2_000,
  p99Ms: 250,
  crossSubgraph: { sockets: 1_000, rate: 500 },
  gatewayCpuMsPerDelivery: 0.25,
  idleBytesPerSocket: 50 * 1024,
} as const;

export const cellName = (cell: Pick<LiveCell, 'sockets' | 'rate' | 'selection'>) =>
  `${cell.sockets.toLocaleString('en-US')} x ${cell.rate.toLocaleString('en-US')}/s ${cell.selection}`;

const lost = (cell: LiveCell) => cell.expected - cell.received;

const deliveryFacts = (cell: LiveCell) =>
  `${cell.received.toLocaleString('en-US')} of ${cell.expected.toLocaleString('en-US')} received, ${cell.errorFrames} error frames, p99 ${cell.latencyMs.p99} ms`;

function judged(
  goal: string,
  cell: LiveCell | undefined,
  measure: (cell: LiveCell) => { measured: string; met: boolean },
): LiveVerdict {
  if (!cell) return { goal, cell: null, measured: 'not measured', verdict: 'not measured' };
  const { measured, met } = measure(cell);
  return { goal, cell: cellName(cell), measured, verdict: met ? 'met' : 'missed' };
}

/** The largest cell by sockets, then rate, among those that match. */
function largest(cells: LiveCell[], matches: (cell: LiveCell) => boolean): LiveCell | undefined {
  return cells
    .filter(matches)
    .sort((one, other) => other.sockets - one.sockets || other.rate - one.rate)[0];
}

/**
 * Issue 16's acceptance for the benchmark. The delivery goals are judged on their own cell only;
 * gateway CPU on the acceptance cell when measured, else the largest minimal cell; idle memory on
 * the cell with the most sockets.
 */
export function judgeLive(cells: LiveCell[]): LiveVerdict[] {
  const find = (sockets: number, rate: number, selection: LiveCell['selection']) =>
    cells.find(
      (cell) => cell.sockets === sockets && cell.rate === rate && cell.selection === selection,
    );
  const { crossSubgraph } = ACCEPTANCE;
  const acceptanceCell = find(ACCEPTANCE.sockets, ACCEPTANCE.rate, 'minimal');
  return [
    judged(
      `${cellName({ sockets: ACCEPTANCE.sockets, rate: ACCEPTANCE.rate, selection: 'minimal' })}: zero loss, zero error frames, p99 < ${ACCEPTANCE.p99Ms} ms`,
      acceptanceCell,
      (cell) => ({
        measured: deliveryFacts(cell),
        met: lost(cell) === 0 && cell.errorFrames === 0 && cell.latencyMs.p99 < ACCEPTANCE.p99Ms,
      }),
    ),
    judged(
      `${cellName({ ...crossSubgraph, selection: 'cross-subgraph' })}: zero loss, zero error frames`,
      find(crossSubgraph.sockets, crossSubgraph.rate, 'cross-subgraph'),
      (cell) => ({
        measured: deliveryFacts(cell),
        met: lost(cell) === 0 && cell.errorFrames === 0,
      }),
    ),
    judged(
      `gateway CPU per delivered notification (minimal) <= ${ACCEPTANCE.gatewayCpuMsPerDelivery} ms`,
      acceptanceCell ?? largest(cells, (cell) => cell.selection === 'minimal'),
      (cell) => ({
        measured: `${cell.cpu.targetMs.toFixed(3)} ms`,
        met: cell.cpu.targetMs <= ACCEPTANCE.gatewayCpuMsPerDelivery,
      }),
    ),
    judged(
      `gateway RSS per idle socket <= ${ACCEPTANCE.idleBytesPerSocket / 1024} KB`,
      largest(cells, () => true),
      (cell) => ({
        measured: `${(cell.gatewayRss.idleBytesPerSocket / 1024).toFixed(1)} KB`,
        met: cell.gatewayRss.idleBytesPerSocket <= ACCEPTANCE.idleBytesPerSocket,
      }),
    ),
  ];
}
