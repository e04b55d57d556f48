/**
 * CPU accounting from Linux's /proc/<pid>/stat text, kept pure so it is tested without /proc.
 * Hand-written: the format is one line (proc(5)), and no maintained npm package reads the fields
 * needed here (pidusage and friends report a percentage over their own interval, not ticks).
 */

export interface ProcStat {
  pid: number;
  ppid: number;
  /**
   * utime + stime of the process (all its threads) plus cutime + cstime, the CPU of its children
   * it has waited for: a child that exits inside a measured window moves its whole CPU time into
   * its parent's cutime/cstime, so summing all four over a process tree before and after the
   * window counts it exactly once.
   */
  ticks: number;
}

/**
 * One /proc/<pid>/stat line. The second field, `(comm)`, may itself hold spaces and parentheses,
 * so the fields are counted from the last `)`: after it come state (field 3), ppid (4), ...,
 * utime (14), stime (15), cutime (16), cstime (17).
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open)
    throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const pid = Number(text.slice(0, open).trim());
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const field = (number: number) => Number(fields[number - 3]);
  const values = [field(4), field(14), field(15), field(16), field(17)];
  if (!Number.isInteger(pid) || values.some((value) => !Number.isFinite(value))) {
    throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  }
  const [ppid, utime, stime, cutime, cstime] = values as [number, number, number, number, number];
  return { pid, ppid, ticks: utime + stime + cutime + cstime };
}

/** The roots and every process below them, from each process's parent. */
export function processTree(roots: number[], stats: Map<number, ProcStat>): Set<number> {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of stats.values()) {
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree = new Set<number>();
  const pending = roots.filter((pid) => stats.has(pid));
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (tree.has(pid)) continue;
    tree.add(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Ticks of each named group of process trees, from one reading of every process. */
export function ticksByGroup(
  groups: Record<string, number[]>,
  stats: Map<number, ProcStat>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(groups).map(([name, roots]) => {
      let ticks = 0;
      for (const pid of processTree(roots, stats)) ticks += stats.get(pid)!.ticks;
      return [name, ticks];
    }),
  );
}

/**
 * CPU milliseconds per request of each group between two readings. A group missing from either
 * reading (a process that was not there) is left out rather than guessed.
 */
export function cpuMsPerRequest(
  before: Record<string, number>,
  after: Record<string, number>,
  { requests, ticksPerSecond }: { requests: number; ticksPerSecond: number },
): Record<string, number> {
  if (requests <= 0) return {};
  return Object.fromEntries(
    Object.keys(after)
      .filter((name) => before[name] !== undefined)
      .map((name) => [
        name,
        (Math.max(0, after[name]! - before[name]!) * 1000) / ticksPerSecond / requests,
      ]),
  );
}
