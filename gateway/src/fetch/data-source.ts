import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { IDENTITY_HEADER, type Principal } from '@platform/identity';
import { REQUEST_ID_HEADER } from '@platform/logger';
import { ENTITY_TAGS_REQUEST_HEADER } from '@platform/subgraph-server';
import type { Counter } from 'prom-client';
import type { GatewayContext } from '../gateway-context.js';
import { recordFetchOfOperation } from '../response-cache/index.js';
import {
  ConcurrencyLimitedError,
  DEFAULT_FETCH_POLICY,
  SubgraphUnavailableError,
  shedFetchResponse,
  fetchSubgraphOnce,
  isRetryableOperation,
  responseOf,
  subgraphFetchPolicy,
  subgraphUnavailableResponse,
  type FetchCaller,
  type PrincipalFetchLimit,
  type SubgraphFetchPolicy,
} from '../resilience/index.js';
import { inFlightFetches, type InFlightFetches } from './in-flight.js';
import type { FetchMetrics } from './metrics.js';
import { recordFetchOutcome } from '../tracing/index.js';
import { distinctRepresentations } from './representations.js';
import { identitySigner } from './signed-identity.js';
import { tooDeepVariablesResponse } from './variable-depth.js';

const GATEWAY_HEADER_PREFIX = 'x-gateway-';
const ANONYMOUS: Principal = { kind: 'anonymous' };
const signedIdentity = identitySigner();

/** The subgraph request being sent: a query (retried, shared) or not, and the client operation. */
interface SendingRequest {
  query: boolean;
  /** The client operation it serves (its `metrics`, as entity tags key it); none for health checks. */
  operation: object | undefined;
  /** Whose fetch it is, for the per-principal limit; none for health checks and schema loads. */
  caller: FetchCaller | undefined;
}

/**
 * RemoteGraphQLDataSource calls its fetcher with only the URL and the request init, so this
 * header, set by willSendRequest and removed by the fetcher before anything is sent, says which
 * of this data source's requests a fetch is. (An AsyncLocalStorage did it before, at about 3% of
 * the gateway's CPU: it turns on promise hooks for every promise of the process.)
 */
const SENDING_HEADER = 'x-gateway-sending';

export interface SubgraphDataSourceOptions {
  subgraph: string;
  url: string;
  gatewaySecret: string;
  /** `gateway_subgraph_requests_total{subgraph}` */
  requests: Counter<'subgraph'>;
  /**
   * Timeout, retries and circuit breaker, shared by every data source of this subgraph in the
   * gateway (`subgraphFetchPolicies(...).forSubgraph(name)`). Without one: the default settings,
   * with a breaker of this data source's own.
   */
  fetchPolicy?: SubgraphFetchPolicy;
  /**
   * Share identical fetches in flight across client operations too (OPERATION_DEDUP_ENABLED);
   * within one operation they are always shared.
   * @default false
   */
  shareAcrossOperations?: boolean;
  metrics?: FetchMetrics;
  /**
   * In-flight fetches per principal, shared by every data source of the gateway
   * (SUBGRAPH_CONCURRENCY_PER_PRINCIPAL); a fetch it sheds is answered CONCURRENCY_LIMIT_EXCEEDED
   * and never reaches the subgraph or its breaker. Without one: no per-principal limit.
   */
  principalLimit?: PrincipalFetchLimit;
}

/**
 * Every request the gateway sends to a subgraph: it carries the caller's principal in headers
 * signed with GATEWAY_SECRET for this subgraph and body (subgraphs trust nothing else) and the
 * request id. Any x-gateway-* header already on the request is dropped first, so a client can
 * never supply its own identity.
 *
 * Every fetch goes through the subgraph's fetch policy (timeout, retries for queries only,
 * circuit breaker). When the subgraph is unavailable, the gateway gets a response with no data
 * and SUBGRAPH_UNAVAILABLE errors at the fields it would have filled, so the client still gets
 * the other subgraphs' data.
 *
 * It sends less than it is asked to: an `_entities` fetch carries each distinct representation
 * once (`representations.ts`), and a query identical to one in flight joins it (`in-flight.ts`);
 * every caller still reads its own copy of the answer, with its own cache hints and entity tags.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly gatewaySecret: string;
  private readonly requests: Counter<'subgraph'>;
  private readonly metrics: FetchMetrics | undefined;
  /** The requests being sent, by their SENDING_HEADER ticket. */
  private readonly sending = new Map<string, SendingRequest>();
  private readonly ticketOf = new WeakMap<object, string>();
  private lastTicket = 0;

  constructor({
    subgraph,
    url,
    gatewaySecret,
    requests,
    fetchPolicy,
    shareAcrossOperations = false,
    metrics,
    principalLimit,
  }: SubgraphDataSourceOptions) {
    super({ url });
    this.subgraph = subgraph;
    this.gatewaySecret = gatewaySecret;
    this.requests = requests;
    this.metrics = metrics;
    const policy = fetchPolicy ?? subgraphFetchPolicy(subgraph, DEFAULT_FETCH_POLICY);
    const inFlight: InFlightFetches = inFlightFetches({
      acrossOperations: shareAcrossOperations,
      onShared: () => metrics?.sharedFetches.inc({ subgraph }),
    });
    this.fetcher = async (fetchUrl, init) => {
      const ticket = init?.headers?.[SENDING_HEADER];
      if (ticket !== undefined) delete init!.headers![SENDING_HEADER];
      const sending = ticket === undefined ? undefined : this.sending.get(ticket);
      // Signed here, over the exact body sent and for this subgraph; the identity header it
      // signs stays part of what makes two requests identical (in-flight sharing).
      if (init) signedIdentity.sign(init, { secret: this.gatewaySecret, subgraph });
      const query = sending?.query ?? false;
      const send = () =>
        policy.execute(query, (signal) => fetchSubgraphOnce(fetchUrl, init, signal));
      // The limit wraps the policy, so a fetch waiting for its caller's slot is not timed, and
      // a shed one is no failure of the subgraph's; a fetch joining one in flight takes no slot.
      const caller = sending?.caller;
      const fetchOnce =
        principalLimit && caller ? () => principalLimit.run(subgraph, caller, send) : send;
      // Only queries are shared: a mutation is sent every time it is asked for.
      if (!query) return responseOf(await fetchOnce());
      return inFlight.share(sending?.operation, fetchUrl, init, fetchOnce);
    };
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    // Refused before anything serializes them (MAX_SUBGRAPH_VARIABLE_DEPTH).
    const tooDeep = tooDeepVariablesResponse(options.request.variables);
    if (tooDeep) return tooDeep;
    const distinct = distinctRepresentations(options.request.variables);
    if (!distinct) return this.processDistinct(options);
    this.metrics?.duplicateRepresentations.inc(
      { subgraph: this.subgraph },
      distinct.counts.original - distinct.counts.sent,
    );
    const response = await this.processDistinct({
      ...options,
      request: { ...options.request, variables: distinct.variables },
    });
    return distinct.expand(response);
  }

  /** One fetch as asked (its representations already distinct): policy, sharing, tags. */
  private async processDistinct(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const sending: SendingRequest = {
      query: isRetryableOperation(options.request.query),
      operation:
        'incomingRequestContext' in options ? options.incomingRequestContext.metrics : undefined,
      // Subscription deliveries (internal) take no per-principal slot: the resolve gate
      // (SUBSCRIPTION_RESOLVE_CONCURRENCY) bounds them, and a shed one would be a lost notification.
      caller:
        'incomingRequestContext' in options && options.context.internal !== true
          ? options.context
          : undefined,
    };
    const ticket = String(++this.lastTicket);
    this.sending.set(ticket, sending);
    this.ticketOf.set(options, ticket);
    try {
      const response = await super.process(options);
      // The entities this fetch touched tag the client's response for cache invalidation.
      recordFetchOfOperation(options, this.subgraph, response);
      recordFetchOutcome(this.subgraph, response.errors?.length ? 'errors' : 'ok');
      return response;
    } catch (error) {
      const shed = error instanceof ConcurrencyLimitedError;
      if (!shed && !(error instanceof SubgraphUnavailableError)) throw error;
      recordFetchOutcome(
        this.subgraph,
        shed ? 'shed' : 'unavailable',
        shed ? undefined : error.reason,
      );
      if ('incomingRequestContext' in options) {
        // Counted into the request's one log line (resilience/failure-tally.ts), not one per fetch.
        options.context.fetchFailures?.note(this.subgraph, shed ? 'shed' : error.reason);
        // An answer with a subgraph's data missing must not be cached anywhere.
        const policy = options.incomingRequestContext.overallCachePolicy;
        if (policy && 'restrict' in policy) policy.restrict({ maxAge: 0 });
      }
      return shed
        ? shedFetchResponse(options.request, this.subgraph, error)
        : subgraphUnavailableResponse(options.request, error);
    } finally {
      this.sending.delete(ticket);
    }
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    for (const [name] of [...headers]) {
      if (name.toLowerCase().startsWith(GATEWAY_HEADER_PREFIX)) headers.delete(name);
    }

    // Health checks and schema loads run outside any client request: they go as anonymous.
    const context = 'incomingRequestContext' in options ? options.context : undefined;
    const principal = context?.principal ?? ANONYMOUS;
    // The fetcher adds the time and the signature: only it has the body they cover.
    headers.set(IDENTITY_HEADER, signedIdentity.identity(principal));
    if (context) headers.set(REQUEST_ID_HEADER, context.requestId);
    // Ask the subgraph which entities its answer holds (response cache invalidation).
    headers.set(ENTITY_TAGS_REQUEST_HEADER, '1');
    const ticket = this.ticketOf.get(options);
    if (ticket !== undefined) headers.set(SENDING_HEADER, ticket);
    this.requests.inc({ subgraph: this.subgraph });
  }
}
