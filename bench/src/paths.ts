import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/src/paths.ts is two folders below it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const benchRoot = path.join(repoRoot, 'bench');
export const resultsDir = path.join(benchRoot, 'results');
/** Profiles other work writes (`*.md`), included verbatim in BENCHMARKS.md. */
export const profilesDir = path.join(benchRoot, 'profiles');
export const benchmarksMarkdown = path.join(repoRoot, 'BENCHMARKS.md');
export const supergraphPath = path.join(repoRoot, 'schema', 'supergraph.graphql');

/** tsx's loader, so `node --import <it> main.ts` runs TypeScript in one process (no tsx wrapper). */
export const tsxLoader = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
