import type { AuthenticatedPrincipal } from './principal.js';

/**
 * The contract between the gateway and the user subgraph for API keys: the gateway POSTs
 * `{ key }` (signed like any gateway request) to this path on the user subgraph, which answers
 * 200 `{ principal }` for a live key and 401 with a GraphQL-shaped error otherwise.
 */
export const API_KEY_VERIFICATION_PATH = '/internal/api-keys/verify';

/** The subgraph that answers it: the name its signed identity headers are signed for. */
export const API_KEY_VERIFICATION_SUBGRAPH = 'user';

export interface ApiKeyVerificationRequest {
  key: string;
}

export interface ApiKeyVerificationResponse {
  principal: Extract<AuthenticatedPrincipal, { kind: 'apiKey' }>;
}
