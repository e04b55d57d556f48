import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One config module and how the reference titles it. */
export interface ConfigModule {
  title: string;
  /** The module's path relative to the repository root. */
  file: string;
}

/**
 * A module may take part when it exports a `*ConfigSchema` or a `*Settings` (read-config.ts says
 * which of those count); the text is read first so only such modules are imported.
 */
const EXPORTS_CONFIG_SCHEMA = /^export\s+(?:const|function)\s+\w+(?:ConfigSchema|Settings)\b/m;

/** Where services and packages keep their sources. */
const SOURCE_ROOTS = ['gateway/src', 'subgraphs/*/src', 'packages/*/src'];

const SKIPPED = new Set(['node_modules', 'generated', 'dist']);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourceFiles(full);
      return /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [full] : [];
    });
}

function expand(root: string, pattern: string): string[] {
  const [first, star, ...rest] = pattern.split('/');
  if (star !== '*') return [path.join(root, pattern)];
  const parent = path.join(root, first!);
  if (!existsSync(parent)) return [];
  return readdirSync(parent, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(parent, name, ...rest));
}

/** The reference's title for a config module, from where it lives. */
function titleOf(file: string): string {
  const [top, name] = file.split('/');
  const within = (prefix: string) => file.slice(prefix.length);
  if (top === 'gateway') {
    return file === 'gateway/src/config.ts' ? 'Gateway' : `Gateway: ${within('gateway/src/')}`;
  }
  if (top === 'subgraphs') {
    const prefix = `subgraphs/${name}/src/`;
    return file === `${prefix}config.ts`
      ? `${name} subgraph`
      : `${name} subgraph: ${within(prefix)}`;
  }
  if (file === 'packages/config/src/stack-endpoints.ts') return 'Local stack';
  return `@platform/${name}: ${within(`packages/${name}/src/`)}`;
}

const ORDER = (file: string) =>
  file.startsWith('gateway/') ? 0 : file.startsWith('subgraphs/') ? 1 : 2;

/**
 * Every candidate config module of the repository: each source file of the gateway, the
 * subgraphs and the packages that exports a `*ConfigSchema` or `*Settings` (found by reading the
 * sources, so a new module, or a new subgraph, takes part with no change here). The gateway
 * first, then the subgraphs, then the packages.
 */
export function configModules(root: string): ConfigModule[] {
  return SOURCE_ROOTS.flatMap((pattern) => expand(root, pattern))
    .flatMap(sourceFiles)
    .filter((file) => EXPORTS_CONFIG_SCHEMA.test(readFileSync(file, 'utf8')))
    .map((file) => path.relative(root, file).split(path.sep).join('/'))
    .sort((a, b) => ORDER(a) - ORDER(b) || a.localeCompare(b))
    .map((file) => ({ title: titleOf(file), file }));
}
