import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { signIdentity, type Principal } from '@platform/identity';
import { REQUEST_ID_HEADER } from '@platform/logger';
import type { Counter } from 'prom-client';
import type { GatewayContext } from './gateway-context.js';

const GATEWAY_HEADER_PREFIX = 'x-gateway-';
const ANONYMOUS: Principal = { kind: 'anonymous' };

export interface SubgraphDataSourceOptions {
  subgraph: string;
  url: string;
  gatewaySecret: string;
  /** `gateway_subgraph_requests_total{subgraph}` */
  requests: Counter<'subgraph'>;
}

/**
 * Every request the gateway sends to a subgraph: it carries the caller's principal in headers
 * signed with GATEWAY_SECRET (subgraphs trust nothing else) and the request id. Any x-gateway-*
 * header already on the request is dropped first, so a client can never supply its own identity.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly gatewaySecret: string;
  private readonly requests: Counter<'subgraph'>;

  constructor({ subgraph, url, gatewaySecret, requests }: SubgraphDataSourceOptions) {
    super({ url });
    this.subgraph = subgraph;
    this.gatewaySecret = gatewaySecret;
    this.requests = requests;
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
    this.requests.inc({ subgraph: this.subgraph });
  }
}
