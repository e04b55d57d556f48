/**
 * Where the gateway sends a subgraph's requests: the routing URL composed into the supergraph,
 * unless an override names the subgraph (SUBGRAPH_URL_<NAME>, or `subgraphUrls` in tests).
 * Names match case-insensitively, with anything but letters and digits read as `_`, so
 * SUBGRAPH_URL_USER_PROFILE overrides the subgraph `user-profile`.
 */
export type SubgraphRouter = (subgraph: string, composedUrl: string) => string;

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '_');

export function subgraphRouter(overrides: Record<string, string>): SubgraphRouter {
  const byName = new Map(Object.entries(overrides).map(([name, url]) => [normalize(name), url]));
  return (subgraph, composedUrl) => byName.get(normalize(subgraph)) ?? composedUrl;
}
