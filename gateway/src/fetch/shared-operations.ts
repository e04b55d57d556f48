import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { GraphQLError, OperationTypeNode, type GraphQLSchema } from 'graphql';
import type { Principal } from '@platform/identity';
import { canonicalJson, shareEntityTags } from '../response-cache/index.js';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
type ExecutionContext = Parameters<GatewayExecutor>[0];
type ExecutionResult = Awaited<ReturnType<GatewayExecutor>>;

export interface SharedOperationsOptions {
  /** Whose operation it is: only the same principal's (or anonymous callers') are shared. */
  getPrincipal: (context: ExecutionContext['context']) => Principal;
  /** Called for each operation answered by another's execution. */
  onShared?: () => void;
}

/** One execution in flight, and the operations waiting for it besides the one that started it. */
interface Execution {
  followers: ExecutionContext[];
  /** Each follower's own copy of the result, in the order they joined. */
  copies: Promise<ExecutionResult[]>;
}

/**
 * The gateway with identical client queries in flight at once sharing one execution
 * (OPERATION_DEDUP_ENABLED): same supergraph, document, operation name, variables and principal
 * (anonymous callers share the public scope). It wraps the executor Apollo Server calls after
 * parsing, validation and its plugins' didResolveOperation and responseForOperation, so every
 * request is still authenticated, authorized, priced, charged by the rate limit and looked up in
 * the response cache, and gets its own response headers. Mutations and subscriptions always run.
 *
 * A follower gets its own copy of the result, the leader's entity tags and the cache hints its
 * subgraph fetches set, so the response cache stores and invalidates its answer as if it had run.
 */
export function withSharedOperations(
  gateway: GatewayInterface,
  options: SharedOperationsOptions,
): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    load: async (loadOptions) => {
      const loaded = await gateway.load(loadOptions);
      const { executor } = loaded;
      return { ...loaded, executor: executor && sharingExecutor(executor, options) };
    },
  };
}

export function sharingExecutor(
  executor: GatewayExecutor,
  { getPrincipal, onShared }: SharedOperationsOptions,
): GatewayExecutor {
  // Per supergraph: an operation validated against a new one never joins a plan of the old one.
  const inFlight = new WeakMap<GraphQLSchema, Map<string, Execution>>();

  return async (requestContext) => {
    if (requestContext.operation.operation !== OperationTypeNode.QUERY) {
      return executor(requestContext);
    }
    let pending = inFlight.get(requestContext.schema);
    if (!pending) {
      pending = new Map();
      inFlight.set(requestContext.schema, pending);
    }
    const key = canonicalJson([
      requestContext.queryHash,
      requestContext.operationName,
      requestContext.request.variables ?? {},
      getPrincipal(requestContext.context),
    ]);

    const joined = pending.get(key);
    if (joined) {
      const index = joined.followers.push(requestContext) - 1;
      onShared?.();
      return (await joined.copies)[index]!;
    }

    const result = executor(requestContext);
    const execution: Execution = {
      followers: [],
      copies: result.then(
        (leaderResult) => {
          pending.delete(key);
          return execution.followers.map((follower) => {
            followLeader(requestContext, follower);
            return copyOfResult(leaderResult);
          });
        },
        (error: unknown) => {
          pending.delete(key);
          throw error;
        },
      ),
    };
    // A failure reaches the followers through `copies`; the leader sees it from `result`.
    execution.copies.catch(() => undefined);
    pending.set(key, execution);
    return result;
  };
}

/**
 * What the leader's fetches recorded on its request, recorded on the follower's too: the entity
 * tags its cached response is invalidated by, and the cache hints the subgraphs sent (a missing
 * subgraph's maxAge 0 among them).
 */
function followLeader(leader: ExecutionContext, follower: ExecutionContext): void {
  shareEntityTags(leader, follower);
  const { maxAge, scope } = leader.overallCachePolicy as { maxAge?: number; scope?: unknown };
  const policy = follower.overallCachePolicy as { restrict?: (hint: object) => void };
  policy.restrict?.({ maxAge, scope });
}

/** What the leader's pipeline may change afterwards (extensions, errors) is not shared. */
function copyOfResult(result: ExecutionResult): ExecutionResult {
  return {
    ...result,
    ...(result.data !== undefined ? { data: structuredClone(result.data) } : {}),
    ...(result.errors ? { errors: result.errors.map(copyOfError) } : {}),
    ...(result.extensions ? { extensions: structuredClone(result.extensions) } : {}),
  };
}

function copyOfError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions },
  });
}
