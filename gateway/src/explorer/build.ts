/**
 * Bundles the explorer page (GraphiQL from npm, React, graphql-ws) with esbuild into
 * gateway/dist/explorer: hashed `explorer-<hash>.js` / `.css` and `manifest.json` naming them.
 * `npm run build:explorer -w gateway`; scripts/start.sh and scripts/test.sh run it when the bundle
 * is missing or older than its sources.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEFAULT_EXPLORER_BUNDLE_DIR } from './config.js';
import type { ExplorerManifest } from './manifest.js';

const entry = fileURLToPath(new URL('./client/main.ts', import.meta.url));

export async function buildExplorer(
  outdir = DEFAULT_EXPLORER_BUNDLE_DIR,
): Promise<ExplorerManifest> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: { explorer: entry },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error(`esbuild wrote no script or style: ${outputs.join(', ')}`);
  const manifest: ExplorerManifest = { script, style };
  await writeFile(path.join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const manifest = await buildExplorer(process.argv[2] ?? DEFAULT_EXPLORER_BUNDLE_DIR);
  process.stdout.write(`explorer bundle: ${manifest.script}, ${manifest.style}\n`);
}
