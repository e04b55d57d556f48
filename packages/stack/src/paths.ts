import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file's place in packages/stack/src. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Everything the stack installs, stores and logs lives here (git-ignored). */
export const stackDir = process.env.STACK_DIR
  ? path.resolve(process.env.STACK_DIR)
  : path.join(repoRoot, '.stack');

export const stackPath = (...parts: string[]) => path.join(stackDir, ...parts);
