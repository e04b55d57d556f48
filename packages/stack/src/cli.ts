import { execFileSync } from 'node:child_process';
import { down, status, up } from './stack.js';
import { repoRoot } from './paths.js';
import { stackRedisCluster } from './services/redis-cluster.js';

/**
 * `npm run stack -- up|down|status`: the four backing services on loopback. Where a Docker engine
 * answers, docker-compose.yml runs them instead; otherwise local installs are started here.
 * `up --redis-cluster` also starts a three-node Redis Cluster of local redis-server processes
 * (from REDIS_CLUSTER_PORT, services/redis-cluster.ts); `down` stops it too.
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
      if (process.argv.includes('--redis-cluster')) {
        const { url } = await stackRedisCluster().up();
        log(`redis cluster: ready (REDIS_MODE=cluster REDIS_URL=${url})`);
      }
      return;
    case 'down':
      if (docker) compose(['stop', ...INFRA]);
      else await down(log);
      await stackRedisCluster().down();
      return;
    case 'status':
      if (docker) compose(['ps', ...INFRA]);
      else for (const line of await status()) console.log(line);
      return;
    default:
      console.error('usage: npm run stack -- up [--redis-cluster]|down|status');
      process.exitCode = 2;
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
