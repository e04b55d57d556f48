/**
 * `npm run compose`: composes rover.yaml into schema/supergraph.graphql and schema/api.graphql.
 * `npm run compose -- --check`: writes nothing; exits 1 naming each committed file that differs
 * from a fresh composition (CI runs it so a stale supergraph fails the build).
 */
import path from 'node:path';
import { compose, CompositionError } from './compose.js';
import { RoverConfigError } from './rover-config.js';
import { schemaFiles, staleSchemaFiles, writeSchemaFiles } from './schema-files.js';

const USAGE = 'usage: npm run compose [-- --check]';

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument ${unknown.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const check = args.includes('--check');

  let files;
  try {
    files = schemaFiles(await compose());
  } catch (error) {
    if (error instanceof CompositionError || error instanceof RoverConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  if (check) {
    const stale = await staleSchemaFiles(files);
    for (const file of stale) {
      process.stderr.write(`${shown(file)} is stale: run npm run compose and commit the result\n`);
    }
    return stale.length === 0 ? 0 : 1;
  }
  await writeSchemaFiles(files);
  process.stdout.write(`wrote ${files.map((file) => shown(file.path)).join(', ')}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
