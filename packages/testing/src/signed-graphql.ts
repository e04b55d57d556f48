import { signIdentity, type Principal } from '@platform/identity';

/** A subgraph as the gateway addresses it: its URL, its name in the supergraph, the shared secret. */
export interface SignedSubgraph {
  url: string;
  subgraph: string;
  gatewaySecret: string;
}

/**
 * POSTs a GraphQL operation straight to a subgraph as the gateway would: signed as `principal`
 * for that subgraph and this exact body. Answers the HTTP status with the parsed body (`data`,
 * `errors`).
 */
export async function signedGraphQL<Body extends object>(
  { url, subgraph, gatewaySecret }: SignedSubgraph,
  principal: Principal,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number } & Body> {
  const body = JSON.stringify({ query, variables });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signIdentity(principal, { secret: gatewaySecret, subgraph, body }),
    },
    body,
  });
  return { status: response.status, ...((await response.json()) as Body) };
}
