import { describeMachine } from '../machine.js';
import { BENCH_PASSWORD, type BenchUser } from '../world-api.js';
import { webBundleSize } from './bundle-size.js';
import { writeWebResults, WEB_INITIAL_JS_TARGET_GZIP_BYTES, type WebResults } from './results.js';
import { measureSignInToDashboard } from './sign-in-time.js';

/**
 * The web app's production bundle (initial JS, gzip) and the time from sign-in to a rendered
 * dashboard, for `user` (the seeded owner: a dashboard with projects) on a gateway at `origin`
 * that serves the app; writes bench/results/web/<date>.json.
 */
export async function measureWeb(
  origin: string,
  user: BenchUser,
): Promise<{ results: WebResults; file: string }> {
  const bundle = webBundleSize();
  const results: WebResults = {
    date: new Date().toISOString().slice(0, 10),
    machine: describeMachine(),
    bundle,
    bundleTargetGzipBytes: WEB_INITIAL_JS_TARGET_GZIP_BYTES,
    signIn: await measureSignInToDashboard(origin, { email: user.email, password: BENCH_PASSWORD }),
  };
  return { results, file: await writeWebResults(results) };
}
