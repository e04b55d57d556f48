import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resultsDir } from '../paths.js';
import { writeFormatted } from './formatted-file.js';

const RESULT_FILE = /^\d{4}-\d{2}-\d{2}\.json$/;

/**
 * Results of one kind kept a file per day in their own folder (bench/results/<kind>/<date>.json):
 * written formatted, and the newest read back for BENCHMARKS.md.
 */
export function datedResults<Results extends { date: string }>(kind: string) {
  const dir = path.join(resultsDir, kind);
  return {
    async write(results: Results): Promise<string> {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${results.date}.json`);
      await writeFormatted(file, JSON.stringify(results, null, 2));
      return file;
    },

    readNewest(): { file: string; results: Results } | undefined {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return undefined;
      }
      const newest = names
        .filter((name) => RESULT_FILE.test(name))
        .sort()
        .at(-1);
      if (!newest) return undefined;
      const file = path.join(dir, newest);
      return { file, results: JSON.parse(readFileSync(file, 'utf8')) as Results };
    },
  };
}
