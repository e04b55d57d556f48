import { execFileSync } from 'node:child_process';
import { down, status, up } from './stack.js';
import { repoRoot } from './paths.js';

/**
 * `npm run stack -- up|down|status`: the four backing services on loopback. Where a Docker engine
 * answers, docker-compose.yml runs them instead; otherwise local installs are started here.
 */
const INFRA = ['postgres', 'redis', 'kafka', 'mongo'];

function dockerEngineAnswers(): boolean {
  if (process.env.STACK_NO_DOCKER) return false;
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

function compose(args: string[]) {
  execFileSync('docker', ['compose', '-f', `${repoRoot}/docker-compose.yml`, ...args], {
    stdio: 'inherit',
  });
}

async function main(command: string | undefined): Promise<void> {
  const log = (line: string) => console.log(`[stack] ${line}`);
  const docker = dockerEngineAnswers();
  switch (command) {
    case 'up':
      if (docker) compose(['up', '-d', '--wait', ...INFRA]);
      else await up(log);
      return;
    case 'down':
      if (docker) compose(['stop', ...INFRA]);
      else await down(log);
      return;
    case 'status':
      if (docker) compose(['ps', ...INFRA]);
      else for (const line of await status()) console.log(line);
      return;
    default:
      console.error('usage: npm run stack -- up|down|status');
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
