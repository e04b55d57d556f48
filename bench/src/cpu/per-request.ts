/** Which process a CPU figure belongs to, and how the figures add up per request. */

export type ProcessRole = 'target' | 'subgraph' | 'store';

/** A process tree to measure: its root pids (a process and all its descendants count). */
export interface MeasuredProcess {
  name: string;
  role: ProcessRole;
  roots: number[];
  /** Whether it counts in `totalMs` (Kafka does not: the dashboard sends no events). */
  inTotal: boolean;
}

export interface ProcessCpu {
  name: string;
  role: ProcessRole;
  inTotal: boolean;
  /** CPU milliseconds (user + system, whole tree) per request completed in the window. */
  msPerRequest: number;
}

export interface CpuPerRequest {
  processes: ProcessCpu[];
  /** The target's own process tree (a gateway's primary and workers). */
  targetMs: number;
  /** The four subgraphs together. */
  subgraphsMs: number;
  /** Every process with `inTotal`: the target, the subgraphs and the stores but Kafka. */
  totalMs: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The per-process figures, in the order given, with the target, subgraph and total sums. */
export function summarizeCpu(
  measured: MeasuredProcess[],
  msByName: Record<string, number>,
): CpuPerRequest {
  const processes = measured
    .filter(({ name }) => msByName[name] !== undefined)
    .map(({ name, role, inTotal }) => ({ name, role, inTotal, msPerRequest: msByName[name]! }));
  const of = (role: ProcessRole) =>
    sum(processes.filter((entry) => entry.role === role).map((entry) => entry.msPerRequest));
  return {
    processes,
    targetMs: of('target'),
    subgraphsMs: of('subgraph'),
    totalMs: sum(processes.filter((entry) => entry.inTotal).map((entry) => entry.msPerRequest)),
  };
}
