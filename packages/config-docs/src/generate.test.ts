import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { configModules } from './config-modules.js';
import { CONFIGURATION_REFERENCE, generateConfigurationReference } from './generate.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../test/fixture-repo/', import.meta.url));

/** Building a TypeScript program of the config modules takes seconds on a busy machine. */
const GENERATION_TIMEOUT_MS = 120_000;

describe('the configuration reference', () => {
  it(
    'lists every variable of every config module, with what zod and the JSDoc say of it',
    async () => {
      const { markdown, undocumented } = await generateConfigurationReference({ root: FIXTURE });
      const line = (name: string) =>
        markdown.split('\n').find((text) => text.startsWith(`- \`${name}\``));

      // Sections: the service schemas, and a package's own zod object of variables; the
      // telemetry.ts shape spread into the gateway's schema is documented there, not apart.
      expect(markdown.split('\n').filter((text) => text.startsWith('## '))).toEqual([
        '## Gateway',
        '## orders subgraph',
        '## @platform/tracing: settings.ts',
      ]);
      expect(configModules(FIXTURE).map((module) => module.file)).toContain(
        'gateway/src/telemetry.ts',
      );
      // A module found only because it exports a zod object named *Settings.
      expect(markdown).toContain(
        '`packages/tracing/src/settings.ts` (`tracingSettings`): A package’s own variables, read by whichever process starts it.',
      );
      expect(line('TRACES_SAMPLE_RATIO')).toBe(
        '- `TRACES_SAMPLE_RATIO` (number 0-1; default `1`): The share of traces kept.',
      );
      expect(markdown).toContain(
        '`gateway/src/config.ts` (`fixtureGatewayConfigSchema`): A gateway of a repository made for this test.',
      );
      expect(line('PORT')).toBe(
        '- `PORT` (integer 1-65535; default `4000`): The port it listens on.',
      );
      expect(line('FIXTURE_SECRET')).toBe(
        '- `FIXTURE_SECRET` (string, 32+ characters; **required**): Signs what it sends.',
      );
      expect(line('FIXTURE_MODE')).toBe(
        '- `FIXTURE_MODE` (one of `fast`, `safe`; default `safe`): How it runs.',
      );
      expect(line('FIXTURE_REGION')).toBe(
        '- `FIXTURE_REGION` (one of `eu`, `us`, empty; optional): Empty: no region.',
      );
      expect(line('FIXTURE_REDIS_URL')).toBe(
        '- `FIXTURE_REDIS_URL` (URL; default `redis://127.0.0.1:6379`)',
      );
      // Spread from another module: found with its comments, no change to the generator.
      expect(line('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(
        '- `OTEL_EXPORTER_OTLP_ENDPOINT` (URL; optional): Where spans are exported; unset: tracing is off.',
      );
      expect(line('OTEL_SDK_ENABLED')).toBe(
        '- `OTEL_SDK_ENABLED` (boolean; default `true`): Whether the SDK starts at all.',
      );
      expect(line('KAFKA_BROKERS')).toBe(
        '- `KAFKA_BROKERS` (string; default `127.0.0.1:9092`): Comma-separated host:port list (see @platform/events\'s README, "Consumer group timing").',
      );
      expect(undocumented).toEqual([
        'Gateway: FIXTURE_REDIS_URL',
        'orders subgraph: ORDERS_UNDOCUMENTED',
      ]);
    },
    GENERATION_TIMEOUT_MS,
  );

  it(
    `committed as ${CONFIGURATION_REFERENCE} equals a fresh generation (run \`npm run docs:config\` when this fails)`,
    async () => {
      const committed = await readFile(path.join(REPO, CONFIGURATION_REFERENCE), 'utf8');
      const { markdown } = await generateConfigurationReference({ root: REPO });
      if (committed !== markdown) {
        throw new Error(
          `${CONFIGURATION_REFERENCE} is stale: run npm run docs:config and commit the result.`,
        );
      }
    },
    GENERATION_TIMEOUT_MS,
  );
});
