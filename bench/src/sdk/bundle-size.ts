import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { repoRoot } from '../paths.js';

export interface BundleSize {
  /** Minified bytes of the browser bundle. */
  minBytes: number;
  /** The same, gzipped (level 9). */
  gzipBytes: number;
}

/** The SDK as a browser bundles it: ESM, minified, every dependency inlined. */
async function sizeOf(entry: string): Promise<BundleSize> {
  const result = await build({
    entryPoints: [path.join(repoRoot, 'sdk', 'src', entry)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

/** The core (`Client` with `request`/`subscribe`: `client.ts`) and the whole SDK (`index.ts`). */
export async function sdkBundleSizes(): Promise<{ core: BundleSize; all: BundleSize }> {
  return { core: await sizeOf('client.ts'), all: await sizeOf('index.ts') };
}
