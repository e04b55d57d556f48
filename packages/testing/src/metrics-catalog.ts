import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One row of the metrics table in docs/metrics.md. */
export interface CatalogMetric {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  labels: string[];
  /** The processes that serve it (`all`: gateway and the four subgraphs). */
  processes: string[];
}

export const PLATFORM_PROCESSES = ['gateway', 'user', 'data', 'analytics', 'notification'] as const;

const CATALOG = fileURLToPath(new URL('../../../docs/metrics.md', import.meta.url));
const NAMES = /`([a-z_:][a-z0-9_:]*)`/g;

/**
 * The metrics docs/metrics.md documents, read from its table (the rows whose first cell is a
 * metric name in backticks), so the tests that check what the processes serve and what the
 * dashboards query cannot drift from it.
 */
export function metricsCatalog(path = CATALOG): CatalogMetric[] {
  const rows: CatalogMetric[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // | metric | type | labels | process | meaning |
    if (cells.length < 7 || !/^`[a-z_:][a-z0-9_:]*`$/.test(cells[1]!)) continue;
    const [, name, type, labels, processes] = cells;
    if (type !== 'counter' && type !== 'gauge' && type !== 'histogram') {
      throw new Error(`docs/metrics.md: ${name} has an unknown type ${type}`);
    }
    rows.push({
      name: name!.slice(1, -1),
      type,
      labels: [...labels!.matchAll(NAMES)].map((match) => match[1]!),
      processes:
        processes === 'all'
          ? [...PLATFORM_PROCESSES]
          : processes!.split(',').map((process) => process.trim()),
    });
  }
  return rows;
}
