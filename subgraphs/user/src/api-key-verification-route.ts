import type { Express, RequestHandler } from 'express';
import { ErrorCode, errorResponseBody } from '@platform/errors';
import {
  API_KEY_VERIFICATION_PATH,
  type ApiKeyVerificationRequest,
  type ApiKeyVerificationResponse,
} from '@platform/identity';
import type { ApiKeyService } from './domain/api-keys.js';

/**
 * The gateway's API-key check (contract in @platform/identity): `{ key }` in, the key's principal
 * out, or 401. Only the gateway may ask, so the route sits behind its signature.
 */
export function mountApiKeyVerification(
  app: Express,
  requireGateway: RequestHandler,
  apiKeys: ApiKeyService,
): void {
  app.post(
    API_KEY_VERIFICATION_PATH,
    // It has read and parsed the body (within the subgraph's body limit).
    requireGateway,
    async (req, res) => {
      res.set('Cache-Control', 'no-store');
      const key = (req.body as Partial<ApiKeyVerificationRequest> | undefined)?.key;
      if (typeof key !== 'string') {
        res
          .status(400)
          .json(errorResponseBody(ErrorCode.BadRequest, 'Expected a JSON body { "key": string }'));
        return;
      }
      const principal = await apiKeys.verify(key);
      if (!principal) {
        res.status(401).json(errorResponseBody(ErrorCode.Unauthenticated, 'Invalid API key'));
        return;
      }
      res.json({ principal } satisfies ApiKeyVerificationResponse);
    },
  );
}
