import { signIdentity, type Principal } from '@platform/identity';

/**
 * POSTs a GraphQL operation straight to a subgraph as the gateway would: signed as `principal`.
 * Answers the HTTP status with the parsed body (`data`, `errors`).
 */
export async function signedGraphQL<Body extends object>(
  subgraphUrl: string,
  gatewaySecret: string,
  principal: Principal,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number } & Body> {
  const response = await fetch(subgraphUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signIdentity(principal, gatewaySecret) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Body) };
}
