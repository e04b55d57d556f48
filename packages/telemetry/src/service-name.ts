import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The service.name of a process that has no OTEL_SERVICE_NAME: the name of the workspace it runs
 * in (its working directory's package.json) without the `@platform/` scope, so `gateway`,
 * `user-subgraph`, ... : the same names as the `service` field of its log lines.
 */
export function defaultServiceName(cwd = process.cwd()): string {
  try {
    const { name } = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8')) as {
      name?: unknown;
    };
    if (typeof name === 'string' && name.length > 0) return name.replace(/^@platform\//, '');
  } catch {
    // No package.json here: fall through.
  }
  return path.basename(cwd);
}
