import { AsyncLocalStorage } from 'node:async_hooks';
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { signIdentity, type Principal } from '@platform/identity';
import { REQUEST_ID_HEADER } from '@platform/logger';
import { ENTITY_TAGS_REQUEST_HEADER } from '@platform/subgraph-server';
import type { Counter } from 'prom-client';
import type { GatewayContext } from '../gateway-context.js';
import { recordFetchOfOperation } from '../response-cache/index.js';
import {
  DEFAULT_FETCH_POLICY,
  SubgraphUnavailableError,
  fetchSubgraphOnce,
  isRetryableOperation,
  subgraphFetchPolicy,
  subgraphUnavailableResponse,
  type SubgraphFetchPolicy,
} from '../resilience/index.js';

const GATEWAY_HEADER_PREFIX = 'x-gateway-';
const ANONYMOUS: Principal = { kind: 'anonymous' };

/** Whether the subgraph request being sent may be retried (a query), decided from its `query`. */
const retryableRequest = new AsyncLocalStorage<boolean>();

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
}

/**
 * Every request the gateway sends to a subgraph: it carries the caller's principal in headers
 * signed with GATEWAY_SECRET (subgraphs trust nothing else) and the request id. Any x-gateway-*
 * header already on the request is dropped first, so a client can never supply its own identity.
 *
 * Every fetch goes through the subgraph's fetch policy (timeout, retries for queries only,
 * circuit breaker). When the subgraph is unavailable, the gateway gets a response with no data
 * and SUBGRAPH_UNAVAILABLE errors at the fields it would have filled, so the client still gets
 * the other subgraphs' data.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly gatewaySecret: string;
  private readonly requests: Counter<'subgraph'>;

  constructor({ subgraph, url, gatewaySecret, requests, fetchPolicy }: SubgraphDataSourceOptions) {
    super({ url });
    this.subgraph = subgraph;
    this.gatewaySecret = gatewaySecret;
    this.requests = requests;
    const policy = fetchPolicy ?? subgraphFetchPolicy(subgraph, DEFAULT_FETCH_POLICY);
    this.fetcher = (fetchUrl, init) =>
      policy.execute(retryableRequest.getStore() ?? false, (signal) =>
        fetchSubgraphOnce(fetchUrl, init, signal),
      );
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    try {
      const response = await retryableRequest.run(isRetryableOperation(options.request.query), () =>
        super.process(options),
      );
      // The entities this fetch touched tag the client's response for cache invalidation.
      recordFetchOfOperation(options, this.subgraph, response);
      return response;
    } catch (error) {
      if (!(error instanceof SubgraphUnavailableError)) throw error;
      if ('incomingRequestContext' in options) {
        // An open breaker is logged once when it opens, not on every request it refuses.
        const log = error.reason === 'breaker_open' ? 'debug' : 'warn';
        options.context.logger[log](
          { subgraph: error.subgraph, reason: error.reason },
          'subgraph unavailable',
        );
        // An answer with a subgraph's data missing must not be cached anywhere.
        const policy = options.incomingRequestContext.overallCachePolicy;
        if (policy && 'restrict' in policy) policy.restrict({ maxAge: 0 });
      }
      return subgraphUnavailableResponse(options.request, error);
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
    for (const [name, value] of Object.entries(signIdentity(principal, this.gatewaySecret))) {
      headers.set(name, value);
    }
    if (context) headers.set(REQUEST_ID_HEADER, context.requestId);
    // Ask the subgraph which entities its answer holds (response cache invalidation).
    headers.set(ENTITY_TAGS_REQUEST_HEADER, '1');
    this.requests.inc({ subgraph: this.subgraph });
  }
}
