import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from '@jest/globals';

const run = promisify(execFile);
const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'acme-sdk-pack-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('packs into a tarball that plain Node ESM installs and imports from dist', async () => {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], {
    cwd: sdkDir,
  });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const files = packed!.files.map((file) => file.path);
  expect(files).toContain('dist/index.js');
  expect(files).toContain('dist/index.d.ts');
  expect(files.some((file) => file.startsWith('src/') || file.startsWith('test/'))).toBe(false);

  writeFileSync(
    path.join(scratch, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
  );
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(scratch, packed!.filename),
    ],
    { cwd: scratch },
  );
  writeFileSync(
    path.join(scratch, 'main.mjs'),
    `import { Client, NetworkError, PlatformError } from '@acme/sdk';
const client = new Client({ apiKey: 'k', retry: { maxAttempts: 1 } }, 'http://127.0.0.1:9/graphql');
const error = await client.users.me().catch((e) => e);
console.log(JSON.stringify({
  namespaces: Object.keys(client).filter((k) => ['users', 'data', 'analytics', 'notifications'].includes(k)),
  network: error instanceof NetworkError && error instanceof PlatformError,
}));
`,
  );
  const { stdout: output } = await run('node', ['main.mjs'], { cwd: scratch });
  expect(JSON.parse(output)).toEqual({
    namespaces: ['users', 'data', 'analytics', 'notifications'],
    network: true,
  });
}, 180_000);
