/**
 * `npm run bench:web` runs just this: the four subgraphs on fresh stores, the seed, one platform
 * gateway serving the web app, then the web app's initial JS size and sign-in-to-dashboard time;
 * regenerates BENCHMARKS.md. `npm run bench` measures the same after the gateways.
 */
import { startBenchPlatform } from '../bench-platform.js';
import { progress } from '../progress.js';
import { regenerateBenchmarksMarkdown } from '../report/benchmarks-markdown.js';
import { runToCompletion } from '../run-lifecycle.js';
import { seed } from '../seed.js';
import { loadBenchSettings } from '../settings.js';
import { startPlatformGateway, WRITER_GATEWAY_ENV } from '../targets.js';
import { measureWeb } from './measure-web.js';

await runToCompletion(async () => {
  const settings = loadBenchSettings();
  const { context } = await startBenchPlatform(`web${Date.now()}`);
  const gateway = await startPlatformGateway(context, {
    name: 'gateway-web',
    responseCache: true,
    env: WRITER_GATEWAY_ENV,
  });
  progress('seeding through the gateway');
  const world = await seed(`${gateway.baseUrl}/graphql`, { timeoutMs: settings.seedTimeoutMs });
  progress('measuring the web app');
  const { results, file } = await measureWeb(gateway.baseUrl, world.owner);
  process.stdout.write(
    `web app: initial JS ${results.bundle.initialJsGzipBytes} B gzip ` +
      `(target ${results.bundleTargetGzipBytes} B); sign-in to dashboard median ` +
      `${results.signIn.medianMs.toFixed(0)} ms, cold ${results.signIn.coldMs.toFixed(0)} ms; ${file}\n`,
  );
  await regenerateBenchmarksMarkdown();
});
