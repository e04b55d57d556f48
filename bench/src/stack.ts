import { spawn } from 'node:child_process';
import { repoRoot } from './paths.js';

/** `npm run -s stack -- up`: idempotent, and instant when the stack already runs. */
export function stackUp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'stack', '--', 'up'], {
      cwd: repoRoot,
      stdio: ['ignore', 2, 2], // its progress joins ours on stderr
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`npm run stack -- up failed (${signal ?? code})`));
    });
  });
}
