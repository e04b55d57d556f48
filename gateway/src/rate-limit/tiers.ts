import type { Principal } from '@platform/identity';
import type { BucketLimits } from './token-bucket.js';

export const RATE_LIMIT_TIERS = ['anonymous', 'user', 'admin'] as const;

/** Which limits apply to a caller. */
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

export type TierLimits = Readonly<Record<RateLimitTier, BucketLimits>>;

/**
 * A signed-in caller's tier is their user's, whether they call with a token or one of their API
 * keys: admins (by role) get the admin tier, everyone else the user tier.
 */
export function tierOf(principal: Principal): RateLimitTier {
  if (principal.kind === 'anonymous') return 'anonymous';
  return principal.role === 'ADMIN' ? 'admin' : 'user';
}

/**
 * Whose budget a request spends: the user's, for their access tokens and every API key they own
 * alike (one bucket per user, so creating keys never grows a budget), or for anonymous callers the
 * client IP's (all callers without a known IP share one).
 */
export function principalKey(principal: Principal, clientIp: string | undefined): string {
  switch (principal.kind) {
    case 'user':
    case 'apiKey':
      return `user:${principal.userId}`;
    case 'anonymous':
      return `ip:${normalizeIp(clientIp)}`;
  }
}

/** The bucket of an API key's own cap (RATE_LIMIT_API_KEY_*), charged besides its owner's. */
export function apiKeyCapKey(principal: Principal): string | undefined {
  return principal.kind === 'apiKey' ? `apikey:${principal.apiKeyId}` : undefined;
}

/** `::ffff:10.0.0.1` (IPv4 seen through an IPv6 socket) is 10.0.0.1. */
function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}
