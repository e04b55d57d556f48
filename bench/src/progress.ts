const started = Date.now();

/**
 * What the benchmark tells the person running it: one line per step on stderr, with the seconds
 * since the run began, so stdout stays free for the results table. Services' own JSON logs go to
 * files (see processes.ts).
 */
export function progress(line: string): void {
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`[bench +${seconds}s] ${line}\n`);
}
