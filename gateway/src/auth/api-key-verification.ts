import { unauthenticated } from '@platform/errors';
import { API_KEY_VERIFICATION_PATH } from '@platform/identity';
import type { Logger } from '@platform/logger';
import { apiKeyVerifier, type ApiKeyVerifier } from './api-key-verifier.js';
import type { GatewayConfig } from '../config.js';

/**
 * How this gateway verifies API keys: with the subgraph API_KEY_SUBGRAPH names (its
 * API_KEY_VERIFICATION_PATH, at the URL routing gives it), or not at all when that setting is
 * empty, said once in the log. A key sent to a gateway that verifies none, or whose supergraph
 * lacks that subgraph, is refused with 401 like any key it cannot accept.
 */
export function apiKeyVerification(
  config: Pick<GatewayConfig, 'API_KEY_SUBGRAPH' | 'GATEWAY_SECRET' | 'API_KEY_CACHE_SECONDS'>,
  logger: Logger,
  subgraphUrl: (name: string) => string | undefined,
): ApiKeyVerifier {
  const subgraph = config.API_KEY_SUBGRAPH;
  if (!subgraph) {
    logger.info('API-key verification is off (API_KEY_SUBGRAPH is empty): API keys are refused');
    return async () => {
      throw unauthenticated('This gateway does not accept API keys');
    };
  }
  const verify = apiKeyVerifier({
    verificationUrl: () => {
      const url = subgraphUrl(subgraph);
      if (url === undefined) throw new MissingVerifier();
      return new URL(API_KEY_VERIFICATION_PATH, url).href;
    },
    gatewaySecret: config.GATEWAY_SECRET,
    cacheSeconds: config.API_KEY_CACHE_SECONDS,
    logger,
  });
  return async (key, requestId) => {
    try {
      return await verify(key, requestId);
    } catch (error) {
      if (error instanceof MissingVerifier) {
        throw unauthenticated('This gateway does not accept API keys');
      }
      throw error;
    }
  };
}

/** The supergraph served now has no subgraph named API_KEY_SUBGRAPH (warned at each load). */
class MissingVerifier extends Error {}
