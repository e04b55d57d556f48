import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CODEGEN = path.join(ROOT, 'node_modules/.bin/graphql-codegen');

describe('the committed generated GraphQL types (codegen.ts)', () => {
  it('equal a fresh npm run codegen (run `npm run codegen` when this fails)', async () => {
    try {
      // --check writes nothing and exits non-zero when an output would change.
      await promisify(execFile)(CODEGEN, ['--config', 'codegen.ts', '--check', '--silent'], {
        cwd: ROOT,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(
        `Generated GraphQL types are stale: run npm run codegen and commit the result.\n${stdout}${stderr}`,
      );
    }
  });
});
