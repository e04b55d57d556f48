/**
 * `npm run schema:check`: fails on a breaking change of schema/api.graphql against the released
 * schema that schema/intended-breaking-changes.json does not accept, on a stale entry of that
 * file, and on any SDK or web app operation that is not valid against schema/api.graphql.
 * `npm run schema:check -- --release`: after a passing check, makes the current schema the
 * released baseline and empties the intended list (a release's step; CONTRIBUTING.md).
 */
import { fileURLToPath } from 'node:url';
import { formatReport } from './report.js';
import { recordRelease, runSchemaCheck, SCHEMA_CHECK_FILES } from './run.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const USAGE = 'usage: npm run schema:check [-- --release]';

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--release');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const result = await runSchemaCheck({ root: ROOT });
  process.stdout.write(`${formatReport(result, SCHEMA_CHECK_FILES).join('\n')}\n`);
  if (!result.ok) return 1;
  if (args.includes('--release')) {
    await recordRelease(ROOT);
    process.stdout.write(
      `${SCHEMA_CHECK_FILES.released} is now ${SCHEMA_CHECK_FILES.current}; ${SCHEMA_CHECK_FILES.intended} is empty\n`,
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
