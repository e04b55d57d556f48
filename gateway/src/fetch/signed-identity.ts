import {
  ANONYMOUS_IDENTITY,
  IDENTITY_HEADER,
  encodePrincipal,
  signEncodedIdentity,
  type Principal,
} from '@platform/identity';
import type { SubgraphRequestInit } from './in-flight.js';

/**
 * The signed identity headers of subgraph requests (packages/identity/README.md), in two steps:
 * `identity` is the caller's principal as its header (set by willSendRequest, which knows the
 * caller), and `sign` adds the time and the HMAC over it, this subgraph and the exact body (in
 * the fetcher, the one place the serialized body is known). Each fetch is signed on its own,
 * since the signature covers its body; what stays the same for every fetch of one client
 * operation, the principal's base64 JSON, is encoded once per principal object.
 */
export function identitySigner(): {
  identity(principal: Principal): string;
  sign(init: SubgraphRequestInit, target: { secret: string; subgraph: string }): void;
} {
  const encoded = new WeakMap<Principal, string>();
  return {
    identity(principal) {
      let identity = encoded.get(principal);
      if (identity === undefined) {
        identity = encodePrincipal(principal);
        encoded.set(principal, identity);
      }
      return identity;
    },
    sign(init, { secret, subgraph }) {
      const headers = (init.headers ??= {});
      // A request willSendRequest never saw (none today) goes as anonymous, never unsigned.
      const identity = headers[IDENTITY_HEADER] ?? ANONYMOUS_IDENTITY;
      Object.assign(headers, signEncodedIdentity(identity, { secret, subgraph, body: init.body }));
    },
  };
}
