import { createHash } from 'node:crypto';
import type { Principal } from '@platform/identity';

/** Where one cached response lives: the key everyone may read, or one caller's own key. */
export type CacheScope = 'PUBLIC' | 'PRIVATE';

/** The parts of a request that decide its response, apart from who asks. */
export interface OperationIdentity {
  /** sha256 of the operation text (Apollo's queryHash; the APQ hash for persisted queries). */
  queryHash: string;
  operationName: string | null;
  variables: Record<string, unknown> | undefined;
}

/**
 * The identity of a request as the client sent it (the operation name it gave, not the one the
 * document resolves to), so the plugin and the fast path, which does not parse, key it alike.
 */
export function requestIdentity(
  queryHash: string,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): OperationIdentity {
  return { queryHash, operationName: operationName ?? null, variables: variables ?? undefined };
}

/** Apollo Server's queryHash of an operation's text (and the APQ hash of it). */
export const queryHashOf = (query: string) => sha256(query);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with object keys sorted at every depth, so `{a, b}` and `{b, a}` give one key. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * Whose PRIVATE entries a caller reads and writes: one key per credential and role, undefined for
 * anonymous callers (who never read or write PRIVATE entries). The role is part of it so a token
 * issued before a demotion never reads what an administrator's token cached.
 */
export function principalCacheKey(principal: Principal): string | undefined {
  switch (principal.kind) {
    case 'anonymous':
      return undefined;
    case 'user':
      return `user:${principal.userId}:${principal.role}`;
    case 'apiKey':
      return `apikey:${principal.apiKeyId}:${principal.role}`;
  }
}

/**
 * The tag of every PRIVATE entry of one user, whichever of their credentials cached it: a user's
 * own mutation invalidates it (so they read their writes even in lists no entity tag reaches), and
 * so does an event that changes what they may see. `@` cannot start a GraphQL type name, so this
 * never collides with an entity tag (`Document:42`).
 */
export function principalTag(principal: Principal): string | undefined {
  return principal.kind === 'anonymous' ? undefined : userTag(principal.userId);
}

export const userTag = (userId: string) => `@user:${userId}`;

/** The Redis keys of the response cache, all under one prefix. */
export interface CacheKeys {
  /** The entry of an operation for everyone (PUBLIC) or for one principal key (PRIVATE). */
  response(operation: OperationIdentity, principalKey?: string): string;
  /** The set of response keys holding `tag`. */
  tagSet(tag: string): string;
  /** The invalidation sequence number at which `tag` was last invalidated. */
  tagInvalidatedAt(tag: string): string;
  /** The invalidation sequence: incremented by every invalidation. */
  invalidationSequence: string;
}

export function cacheKeys(prefix: string): CacheKeys {
  return {
    response: ({ queryHash, operationName, variables }, principalKey) =>
      `${prefix}response:${sha256(
        canonicalJson([queryHash, operationName, variables ?? {}, principalKey ?? null]),
      )}`,
    tagSet: (tag) => `${prefix}tag:${tag}`,
    tagInvalidatedAt: (tag) => `${prefix}invalidated:${tag}`,
    invalidationSequence: `${prefix}invalidation-sequence`,
  };
}
