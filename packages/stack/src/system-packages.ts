import { execFileSync } from 'node:child_process';
import { commandExists } from './processes.js';

let aptUpdated = false;

/**
 * Installs Debian packages when a needed command is missing. Only possible as root (CI and the
 * development machines); elsewhere it says what to install instead of failing obscurely later.
 */
export function ensureDebianPackages(wanted: Array<{ command: string; pkg: string }>): void {
  const missing = wanted.filter(({ command }) => !commandExists(command)).map(({ pkg }) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new Error(`missing system packages: ${missing.join(', ')} (install them and run again)`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}
