import { badUserInput, forbidden, notFound } from '@platform/errors';
import {
  requireScope,
  type ApiKeyVerificationResponse,
  type AuthenticatedPrincipal,
  type Principal,
  type Scope,
} from '@platform/identity';
import type { ApiKey } from '../repositories/api-keys.js';
import type { Repositories } from '../repositories/index.js';
import { isUuid } from '../uuid.js';
import {
  displayPrefix,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  newApiKeySecret,
} from './api-key-secret.js';
import { apiKeyCreated, apiKeyRevoked } from './events.js';
import { requireText } from './input.js';
import type { RequestScope } from './request-scope.js';

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** Returned once, at creation; only its hash is stored. */
  secret: string;
}

export type ApiKeyPrincipal = ApiKeyVerificationResponse['principal'];

/** Recording every use would write on every API-key request; once a minute per key is enough. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/**
 * Keys are managed by the signed-in user only: a key with 'write' could otherwise mint or revoke
 * other keys of its owner, so a leaked key could outlive its own revocation.
 */
function requireKeyManager(principal: Principal): AuthenticatedPrincipal {
  const caller = requireScope(principal, 'write');
  if (caller.kind !== 'user') throw forbidden('API keys cannot manage API keys; sign in instead');
  return caller;
}

export function apiKeyService(repositories: Repositories) {
  const { apiKeys } = repositories;
  return {
    async create({ principal }: RequestScope, args: { name: string; scopes: Scope[] }) {
      const caller = requireKeyManager(principal);
      const name = requireText(args.name, 'name');
      const scopes = [...new Set(args.scopes)];
      if (scopes.length === 0) throw badUserInput('scopes must not be empty', 'scopes');
      const secret = newApiKeySecret();
      const apiKey = await repositories.transaction(async (tx) => {
        const inserted = await tx.apiKeys.insert({
          userId: caller.userId,
          name,
          scopes,
          prefix: displayPrefix(secret),
          secretHash: hashApiKeySecret(secret),
        });
        if (inserted) await tx.outbox.append(apiKeyCreated(caller.userId, inserted));
        return inserted;
      });
      if (!apiKey) throw notFound('User', caller.userId);
      return { apiKey, secret } satisfies CreatedApiKey;
    },

    /** The caller's keys, newest first. */
    list({ principal }: RequestScope): Promise<ApiKey[]> {
      const caller = requireScope(principal, 'read');
      return apiKeys.listByUser(caller.userId);
    },

    /** Revokes one of the caller's keys; another user's key is NOT_FOUND, as if it did not exist. */
    async revoke({ principal }: RequestScope, id: string): Promise<ApiKey> {
      const caller = requireKeyManager(principal);
      if (!isUuid(id)) throw notFound('ApiKey', id);
      const revocation = await repositories.transaction(async (tx) => {
        const revoked = await tx.apiKeys.revoke(id, caller.userId);
        // Revoking a revoked key changes nothing, so it emits nothing.
        if (revoked?.revokedNow) {
          await tx.outbox.append(apiKeyRevoked(caller.userId, revoked.apiKey));
        }
        return revoked;
      });
      if (!revocation) throw notFound('ApiKey', id);
      return revocation.apiKey;
    },

    /** The principal a live key stands for, or `undefined` for an unknown or revoked key. */
    async verify(secret: string): Promise<ApiKeyPrincipal | undefined> {
      if (!looksLikeApiKeySecret(secret)) return undefined;
      const apiKey = await apiKeys.findLiveBySecretHash(hashApiKeySecret(secret));
      if (!apiKey) return undefined;
      const lastUsedAt = apiKey.lastUsedAt?.getTime() ?? 0;
      if (Date.now() - lastUsedAt >= LAST_USED_RESOLUTION_SECONDS * 1000) {
        await apiKeys.touchLastUsed(apiKey.id, LAST_USED_RESOLUTION_SECONDS);
      }
      return {
        kind: 'apiKey',
        userId: apiKey.userId,
        role: apiKey.role,
        scopes: apiKey.scopes,
        apiKeyId: apiKey.id,
      };
    },
  };
}

export type ApiKeyService = ReturnType<typeof apiKeyService>;
