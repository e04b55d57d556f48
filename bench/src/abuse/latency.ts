/** The nearest-rank percentile (0-100) of `values`, 0 when there are none. */
export function percentile(values: readonly number[], rank: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1),
  );
  return sorted[index]!;
}

/** Milliseconds rounded to 0.1. */
export const roundMs = (value: number): number => Math.round(value * 10) / 10;
