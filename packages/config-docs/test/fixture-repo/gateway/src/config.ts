import { z } from 'zod';
import { telemetrySettings } from './telemetry.js';

const shared = z.object({
  /** The port it listens on. */
  PORT: z.coerce.number().int().min(1).max(65535).default(4000),
});

/** A gateway of a repository made for this test. */
export function fixtureGatewayConfigSchema(source: NodeJS.ProcessEnv) {
  return shared
    .extend({
      /** Signs what it sends. */
      FIXTURE_SECRET: z.string().min(32),
      FIXTURE_MODE: z.enum(['fast', 'safe']).default('safe').describe('How it runs.'),
      /** Empty: no region. */
      FIXTURE_REGION: z.enum(['eu', 'us', '']).optional(),
      FIXTURE_REDIS_URL: z
        .url()
        .default(source.FIXTURE_REDIS_PORT ? 'redis://x' : 'redis://127.0.0.1:6379'),
      ...telemetrySettings,
    })
    .transform((settings) => ({ ...settings, derived: true }));
}
