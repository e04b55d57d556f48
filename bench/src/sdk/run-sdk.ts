/**
 * `npm run bench:sdk` runs just this: the SDK's bundle sizes and overhead per query
 * (seconds, no stack), then regenerates BENCHMARKS.md. `npm run bench` runs it after the gateways.
 */
import { regenerateBenchmarksMarkdown } from '../report/benchmarks-markdown.js';
import { measureSdk } from './measure-sdk.js';

const { results, file } = await measureSdk();
process.stdout.write(
  `SDK: core ${results.bundle.core.gzipBytes} B, all ${results.bundle.all.gzipBytes} B min+gzip; ` +
    `p50 ${results.overhead.sdkP50Ms.toFixed(3)} ms vs fetch ${results.overhead.fetchP50Ms.toFixed(3)} ms ` +
    `(${results.overhead.overheadP50Percent.toFixed(1)}%), ${file}\n`,
);
await regenerateBenchmarksMarkdown();
