/**
 * What the benchmark tells the person running it: one line per step on stderr, so stdout stays
 * free for the results table. Services' own JSON logs go to files (see processes.ts).
 */
export function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
