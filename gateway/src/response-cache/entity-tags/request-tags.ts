/**
 * The entities (`Document:42`) one operation's response holds, gathered from its subgraph fetches
 * while the gateway executes it. Keyed by the operation's `metrics` object: Apollo Server hands
 * that same object to every plugin hook and, through the gateway, to every subgraph fetch as
 * `incomingRequestContext`, and it lives exactly as long as the operation (an HTTP batch shares
 * one context but each operation has its own metrics).
 */
export interface RequestEntityTags {
  tags: Set<string>;
  /** Subgraphs that answered a fetch of this operation without reporting its entities. */
  unreported: Set<string>;
}

const byRequest = new WeakMap<object, RequestEntityTags>();

export function entityTagsRecorder(request: { metrics: object }): RequestEntityTags {
  let recorded = byRequest.get(request.metrics);
  if (!recorded) {
    recorded = { tags: new Set(), unreported: new Set() };
    byRequest.set(request.metrics, recorded);
  }
  return recorded;
}

/** What the fetches of this operation recorded; an operation that fetched nothing has no tags. */
export function entityTagsOf(request: { metrics: object }): RequestEntityTags {
  return byRequest.get(request.metrics) ?? { tags: new Set(), unreported: new Set() };
}

/**
 * Adds what `from`'s fetches recorded to `to`: an operation answered by an identical operation's
 * execution (OPERATION_DEDUP_ENABLED) holds the same entities, and its cached response must be
 * invalidated by them just the same.
 */
export function shareEntityTags(from: { metrics: object }, to: { metrics: object }): void {
  const source = entityTagsOf(from);
  const target = entityTagsRecorder(to);
  for (const tag of source.tags) target.tags.add(tag);
  for (const subgraph of source.unreported) target.unreported.add(subgraph);
}
