import { signIdentity, type Principal } from '@platform/identity';

interface Signed {
  second: number;
  secret: string;
  headers: Record<string, string>;
}

/**
 * The signed identity headers of a principal, signed once per principal object and second: every
 * subgraph fetch of one client operation (a dashboard makes about ten) carries the same
 * principal, and `signIdentity` stamps whole seconds, so the HMAC and the base64 JSON are the
 * same for all of them.
 */
export function identitySigner(): (principal: Principal, secret: string) => Record<string, string> {
  const signedFor = new WeakMap<Principal, Signed>();
  return (principal, secret) => {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    const cached = signedFor.get(principal);
    if (cached?.second === second && cached.secret === secret) return cached.headers;
    const headers = signIdentity(principal, secret, now);
    signedFor.set(principal, { second, secret, headers });
    return headers;
  };
}
