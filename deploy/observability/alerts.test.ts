import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { stackPath } from '@platform/stack';

const PROMETHEUS_DIR = fileURLToPath(new URL('./prometheus/', import.meta.url));

/** scripts/ensure-dependencies.sh (ensure_promtool) unpacks it here; one on PATH is used too. */
const cached = stackPath('tools', 'bin', 'promtool');
const PROMTOOL = existsSync(cached) ? cached : 'promtool';

function promtool(...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(PROMTOOL, args, { cwd: PROMETHEUS_DIR }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(
          new Error(
            `cannot run promtool (${PROMTOOL}; scripts/test.sh installs it): ${error.message}`,
          ),
        );
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('the Prometheus alert rules (deploy/observability/prometheus/alerts.yml)', () => {
  it('are valid rules', async () => {
    const { code, output } = await promtool('check', 'rules', 'alerts.yml');
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('fire, with their labels and annotations, exactly when their unit tests say (promtool test rules)', async () => {
    const { code, output } = await promtool('test', 'rules', 'alerts.test.yml');
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });
});
