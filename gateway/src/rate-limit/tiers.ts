import type { Principal } from '@platform/identity';
import type { BucketLimits } from './token-bucket.js';

export const RATE_LIMIT_TIERS = ['anonymous', 'user', 'apiKey', 'admin'] as const;

/** Which limits apply to a caller. */
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

export type TierLimits = Readonly<Record<RateLimitTier, BucketLimits>>;

/** Admins (by role, whether they call with a token or an API key) get the admin tier. */
export function tierOf(principal: Principal): RateLimitTier {
  if (principal.kind === 'anonymous') return 'anonymous';
  return principal.role === 'ADMIN' ? 'admin' : principal.kind;
}

/**
 * Whose budget a request spends: the user's, the API key's (each key has its own, apart from its
 * owner's), or for anonymous callers the client IP's (all callers without a known IP share one).
 */
export function principalKey(principal: Principal, clientIp: string | undefined): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.userId}`;
    case 'apiKey':
      return `apikey:${principal.apiKeyId}`;
    case 'anonymous':
      return `ip:${normalizeIp(clientIp)}`;
  }
}

/** `::ffff:10.0.0.1` (IPv4 seen through an IPv6 socket) is 10.0.0.1. */
function normalizeIp(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}
