import {
  encodePrincipal,
  signEncodedIdentity,
  type Principal,
  type RequestBody,
} from '@platform/identity';

export interface SubgraphRequestToSign {
  principal: Principal;
  secret: string;
  subgraph: string;
  /** The body exactly as it is sent: the signature covers its SHA-256. */
  body: RequestBody;
}

/**
 * The signed identity headers of one subgraph request (packages/identity/README.md). Each fetch
 * is signed on its own, since the signature covers the body; what stays the same for every fetch
 * of one client operation, the principal's base64 JSON, is encoded once per principal object.
 */
export function identitySigner(): {
  /** The identity header's value for `principal`. */
  identity(principal: Principal): string;
  /** All three headers for one request. */
  sign(request: SubgraphRequestToSign): Record<string, string>;
} {
  const encoded = new WeakMap<Principal, string>();
  const identity = (principal: Principal) => {
    let value = encoded.get(principal);
    if (value === undefined) {
      value = encodePrincipal(principal);
      encoded.set(principal, value);
    }
    return value;
  };
  return {
    identity,
    sign: ({ principal, secret, subgraph, body }) =>
      signEncodedIdentity(identity(principal), { secret, subgraph, body }),
  };
}
