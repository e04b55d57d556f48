import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** One process's (or the stack's) config module and how the reference titles it. */
export interface ConfigModule {
  title: string;
  /** The module's path relative to the repository root. */
  file: string;
}

/**
 * Every config module of the repository: the gateway's, each subgraph's (any folder of
 * subgraphs/ with a src/config.ts), and the local stack's ports every service reads. A module
 * takes part by exporting its schema under a name ending in `ConfigSchema` (read-config.ts).
 */
export function configModules(root: string): ConfigModule[] {
  const subgraphsDir = path.join(root, 'subgraphs');
  const subgraphs = existsSync(subgraphsDir)
    ? readdirSync(subgraphsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  const candidates: ConfigModule[] = [
    { title: 'Gateway', file: 'gateway/src/config.ts' },
    ...subgraphs.map((name) => ({
      title: `${name} subgraph`,
      file: `subgraphs/${name}/src/config.ts`,
    })),
    { title: 'Local stack', file: 'packages/config/src/stack-endpoints.ts' },
  ];
  return candidates.filter((module) => existsSync(path.join(root, module.file)));
}
