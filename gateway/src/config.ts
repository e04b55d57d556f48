import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { redisSettings } from '@platform/redis';
import { workerProcessesSettings } from '@platform/subgraph-server';
import { subscriptionSettings } from './subscriptions/config.js';
import { resilienceSettings } from './resilience/config.js';
import { costSettings } from './cost/config.js';
import { rateLimitSettings } from './rate-limit/config.js';
import { corsSettings } from './http/cors.js';
import { httpSettings } from './http/config.js';
import { metricsSettings } from './http/metrics-endpoint.js';
import { explorerSettings } from './explorer/config.js';
import { webAppSettings } from './web-app/config.js';
import { fetchSettings } from './fetch/config.js';
import { externalIdentitySettings } from './auth/config.js';
import { responseCacheSettings, responseCacheStackDefaults } from './response-cache/config.js';

const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../schema/supergraph.graphql', import.meta.url),
);

/** `SUBGRAPH_URL_USER=http://...` routes the `user` subgraph there instead of its composed URL. */
const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

const settingsSchema = z.object({
  /** The port it serves HTTP and WebSocket clients on. */
  PORT: env.port(4000),
  /** The interface it listens on (`0.0.0.0` in a container; the image sets it). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The composed supergraph (`npm run compose`); watched, so a new composition is picked up live. */
  SUPERGRAPH_PATH: z.string().min(1).default(DEFAULT_SUPERGRAPH_PATH),
  /** Verifies the access tokens the user subgraph issues. */
  JWT_SECRET: env.secret(),
  /** Signs the identity headers every subgraph request carries. */
  GATEWAY_SECRET: env.secret(),
  /**
   * The subgraph that verifies API keys (it serves API_KEY_VERIFICATION_PATH of
   * `@platform/identity`); empty: this gateway accepts no API keys (a supergraph of one's own).
   */
  API_KEY_SUBGRAPH: z.string().trim().default('user'),
  /**
   * What callers without a credential may select: `public` = only root fields tagged
   * `@tag(name: "public")`, `none` = nothing, `all` = everything (a private deployment behind
   * another gateway that authenticates).
   */
  ANONYMOUS_ACCESS: z.enum(['public', 'none', 'all']).default('public'),
  /** How long an API key verdict is cached, so a revoked key works for up to this long. */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).default(10),
  ...externalIdentitySettings,
  /** The largest request body or WebSocket message accepted (a larger body: 413). */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  LOG_LEVEL: env.logLevel,
  /**
   * Redis (REDIS_URL, REDIS_MODE, REDIS_TLS_CA_FILE): rate limits, the response cache, persisted
   * queries and the notifications subscriptions deliver; default: the local stack's.
   */
  ...redisSettings({}),
  ...subscriptionSettings,
  ...resilienceSettings,
  ...costSettings,
  ...rateLimitSettings,
  ...responseCacheSettings,
  ...corsSettings,
  ...httpSettings,
  ...metricsSettings,
  ...explorerSettings,
  ...webAppSettings,
  ...fetchSettings,
  ...workerProcessesSettings,
});

type Settings = z.infer<typeof settingsSchema>;

export type GatewayConfig = Settings & {
  /** Routing URL overrides from SUBGRAPH_URL_<NAME>, keyed by subgraph name in lower case. */
  SUBGRAPH_URLS: Record<string, string>;
};

type SubgraphUrlVariable = `${typeof SUBGRAPH_URL_PREFIX}${string}`;

/**
 * Besides the variables below, `SUBGRAPH_URL_<NAME>` (a URL) routes the subgraph `<name>` there
 * instead of the routing URL composed into the supergraph (`SUBGRAPH_URL_USER=http://...`).
 */
export function gatewayConfigSchema(source: NodeJS.ProcessEnv) {
  const overrideVariables = Object.keys(source).filter(
    (name): name is SubgraphUrlVariable =>
      name.startsWith(SUBGRAPH_URL_PREFIX) && name.length > SUBGRAPH_URL_PREFIX.length,
  );
  const overrides: Record<SubgraphUrlVariable, ReturnType<typeof env.url>> = Object.fromEntries(
    overrideVariables.map((name) => [name, env.url()]),
  );
  const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];
  return settingsSchema
    .extend({
      ...redisSettings(source),
      ...responseCacheStackDefaults(source),
      ...overrides,
    })
    .transform((parsed): GatewayConfig => {
      // Settings by name, and every SUBGRAPH_URL_<NAME> gathered into SUBGRAPH_URLS.
      const values: Record<string, unknown> = parsed;
      return {
        ...(Object.fromEntries(settingNames.map((name) => [name, values[name]])) as Settings),
        SUBGRAPH_URLS: Object.fromEntries(
          overrideVariables.map((name) => [
            name.slice(SUBGRAPH_URL_PREFIX.length).toLowerCase(),
            String(values[name]),
          ]),
        ),
      };
    });
}

/** The gateway's settings, validated once at start-up; a bad variable stops the process. */
export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema(source), source);
}
