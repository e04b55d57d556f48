import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Logger } from '@platform/logger';
import { checkRedisAccess, redisTarget } from '@platform/redis';
import { apiKeyVerification } from './auth/api-key-verification.js';
import { authenticator } from './auth/authenticate.js';
import { authorizeOperation } from './auth/authorize-operation.js';
import { externalIdentity } from './auth/external-identity.js';
import { requestPrincipal } from './auth/request-principal.js';
import { jsonBody, jsonErrorResponses } from './http/body-parsing.js';
import type { GatewayConfig } from './config.js';
import { logUnexpectedErrors, maskUnexpectedErrors } from './http/format-error.js';
import type { GatewayContext } from './gateway-context.js';
import { mountHealthRoutes } from './http/health-routes.js';
import {
  metricsListenAddress,
  mountPublicMetrics,
  startMetricsServer,
  type MetricsServer,
} from './http/metrics-endpoint.js';
import { createGatewayMetrics } from './http/metrics.js';
import { createOperationMetrics } from './http/operation-metrics.js';
import {
  MIN_CHARGE,
  chargeRefusedRequests,
  costModelFromSdl,
  costConfig,
  costPlugin,
  type CostModel,
} from './cost/index.js';
import {
  createRateLimitMetrics,
  createRateLimiter,
  cacheHitCost,
  rateLimitConfig,
  rateLimitedError,
  rateLimitHeaders,
  rateLimitPlugin,
  refusedCallers,
  redisTokenBucket,
  type RateLimiter,
} from './rate-limit/index.js';
import { corsForOrigins } from './http/cors.js';
import { explorerConfig, mountExplorer } from './explorer/index.js';
import { mountWebApp, webAppConfig } from './web-app/index.js';
import { connectRedis } from './redis/index.js';
import {
  FetchFailureTally,
  documentCache,
  fetchFailureLog,
  principalFetchLimit,
  queryPlanCache,
  resilienceConfig,
  subgraphFetchPolicies,
} from './resilience/index.js';
import {
  gatewayFastPathGate,
  notificationInvalidation,
  persistedQueryErrorCodes,
  responseCacheConfig,
  startGatewayResponseCache,
} from './response-cache/index.js';
import { batchConcurrency, batchLimit, batchSlots } from './http/batch.js';
import { httpConfig } from './http/config.js';
import { hideFieldSuggestions } from './http/field-suggestions.js';
import { refuseSubscriptionsOverHttp } from './http/subscription-over-http.js';
import { assignRequestId, requestScope } from './http/request-id.js';
import { countGraphQLErrors, measureRequests } from './http/request-metrics.js';
import {
  createFetchMetrics,
  fetchConfig,
  SubgraphDataSource,
  withSharedOperations,
} from './fetch/index.js';
import { subgraphRouter } from './supergraph/routing.js';
import { tracedRateLimiter, tracingPlugin } from './tracing/index.js';
import { readSupergraphFacts, type SupergraphFacts } from './supergraph/facts.js';
import { supergraphFromFile } from './supergraph/file.js';
import {
  gatewayQueryRunner,
  httpSubscriptions,
  notificationSource,
  liveSource,
  liveChannels,
  startSubscriptionServer,
  subscriptionConfig,
  subscriptionPipeline,
  subscriptionQueries,
  deliveryRetry,
  createDeliveryRetryMetrics,
  type SubscriptionStartHook,
} from './subscriptions/index.js';

export interface GatewayOptions {
  /** Routing URLs by subgraph name, over the supergraph's and SUBGRAPH_URL_<NAME> (for tests). */
  subgraphUrls?: Record<string, string>;
  /** Called before each subscription starts; may refuse it (the rate limiter charges starts). */
  subscriptionStartHook?: SubscriptionStartHook;
  /** False: no Kafka consumer invalidating cached responses (tests that start many gateways). */
  consumeCacheEvents?: boolean;
}

export interface RunningGateway {
  /** The GraphQL endpoint, `http://host:port/graphql`. */
  url: string;
  port: number;
  /** The server /graphql listens on, for protocols that share it (graphql-ws). */
  httpServer: http.Server;
  /** The internal Prometheus endpoint, `http://METRICS_HOST:<port>/metrics`. */
  metricsUrl: string;
  /** The graphql-ws side, served on the same server and path. */
  subscriptions: { activeCount: () => number; channelCount: () => number };
  /**
   * Closes the subscription sockets and the Redis subscriber, stops accepting, drains in-flight
   * requests, stops watching the supergraph.
   */
  stop: () => Promise<void>;
}

/**
 * The gateway, one request's path in order:
 *   request id -> metrics and access log -> JSON body (size-limited) -> a subscription asked
 *   for with a streaming Accept (SSE, multipart), streamed by the subscription pipeline
 *   (subscriptions/http/, the same one graphql-ws uses) -> batch size (at most
 *   MAX_BATCH_OPERATIONS, run BATCH_CONCURRENCY at a time) -> a cached answer, when
 *   there is one, served before Apollo by the same authentication, authorization, limits and rate
 *   limiter (response-cache/fast-path.ts) -> authenticate (context)
 *   -> parse (cached, token limit; APQ), validate (Apollo) -> authorize the operation -> price it
 *   (cost/) -> charge the caller's token bucket (rate-limit/) -> response cache lookup
 *   (response-cache/) -> query plan (cached) -> signed
 *   subgraph fetches (resilience/: in-flight limit per principal, then timeout, retries for
 *   queries, breaker per subgraph; failed fetches logged once per request)
 *   -> cache store with entity tags, or invalidation after a mutation -> errors formatted
 *   (unexpected ones masked) -> response with RateLimit-*, Cache-Control and Age headers.
 */
export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const metrics = createGatewayMetrics();
  const routeTo = subgraphRouter({ ...config.SUBGRAPH_URLS, ...options.subgraphUrls });
  // Each feature's settings, mapped once to its typed options.
  const resilience = resilienceConfig(config);
  const cost = costConfig(config);
  const rateLimits = rateLimitConfig(config);
  const responseCaching = responseCacheConfig(config);
  const subscribing = subscriptionConfig(config);
  const fetching = fetchConfig(config);
  const httpLimits = httpConfig(config);
  const fetchMetrics = createFetchMetrics(metrics.registry);
  const operationMetrics = createOperationMetrics(metrics.registry);

  // One Redis connection per role (redis/connection.ts says why they differ); closed on stop.
  // Refused credentials stop the start here; a Redis that is away is degraded around, as later.
  const redisAt = redisTarget(config);
  await checkRedisAccess(redisAt, { logger });
  const redis = {
    rateLimit: connectRedis(redisAt, 'rate-limit', { logger }),
    responseCache: connectRedis(redisAt, 'response-cache', {
      logger,
      commandTimeoutMs: responseCaching.redisTimeoutMs,
    }),
    subscriber: connectRedis(redisAt, 'subscriber', { logger }),
    cacheInvalidation: connectRedis(redisAt, 'cache-invalidation', { logger }),
  };
  const disconnectRedis = () =>
    Object.values(redis).forEach((connection) => connection.disconnect());

  // One timeout/retry/breaker policy per subgraph, kept across supergraph reloads.
  const fetchPolicies = subgraphFetchPolicies(resilience.fetchPolicy, {
    registry: metrics.registry,
    logger,
  });
  // In-flight fetches per principal and subgraph, in front of the breakers: one caller's flood
  // waits for its own slots (or is shed) instead of timing out the subgraph for everyone.
  const principalLimit = principalFetchLimit(resilience.principalConcurrency, metrics.registry);

  // The supergraph: read from SUPERGRAPH_PATH and swapped live whenever the file changes.
  let supergraph: SupergraphFacts | undefined;
  let apiSchema: GraphQLSchema | undefined;
  let costModel: CostModel | undefined;
  const currentSupergraph = (): SupergraphFacts => {
    if (!supergraph) throw new Error('no supergraph is loaded yet');
    return supergraph;
  };
  const currentCostModel = (): CostModel => {
    if (!costModel) throw new Error('no supergraph is loaded yet');
    return costModel;
  };
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile({ path: config.SUPERGRAPH_PATH, logger }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        subgraph: name,
        url: routeTo(name, url ?? ''),
        gatewaySecret: config.GATEWAY_SECRET,
        requests: metrics.subgraphRequests,
        fetchPolicy: fetchPolicies.forSubgraph(name),
        shareAcrossOperations: fetching.operationDedup,
        metrics: fetchMetrics,
        principalLimit,
      }),
    queryPlannerConfig: { cache: queryPlanCache(resilience.queryPlanCacheBytes) },
    logger: logger.child({ component: 'apollo-gateway' }),
  });
  gateway.onSchemaLoadOrUpdate((update) => {
    supergraph = readSupergraphFacts(update.coreSupergraphSdl);
    for (const problem of supergraph.liveFields.problems) {
      logger.error({ problem }, 'a @live Subscription field of the supergraph is not served');
    }
    if (config.API_KEY_SUBGRAPH && !supergraph.routingUrls.has(config.API_KEY_SUBGRAPH)) {
      logger.warn(
        { subgraph: config.API_KEY_SUBGRAPH },
        'the supergraph has no API_KEY_SUBGRAPH subgraph: API keys are refused',
      );
    }
    apiSchema = update.apiSchema;
    try {
      costModel = costModelFromSdl(update.coreSupergraphSdl, cost.model);
      if (costModel.unknownOverrides.length > 0) {
        logger.warn(
          { keys: costModel.unknownOverrides },
          'COST_OVERRIDES names no type or field of the supergraph',
        );
      }
    } catch (error) {
      logger.error(
        { err: error },
        'could not read costs from the supergraph; keeping the previous ones',
      );
    }
  });

  // Token buckets in Redis, shared by every gateway process; while Redis is away the limiter
  // decides per process.
  const sharedBuckets = createRateLimiter({
    buckets: redisTokenBucket(redis.rateLimit),
    tiers: rateLimits.tiers,
    apiKeyCap: rateLimits.apiKeyCap,
    redisTimeoutMs: rateLimits.redisTimeoutMs,
    instanceCount: rateLimits.instanceCount,
    logger: logger.child({ component: 'rate-limit' }),
    metrics: createRateLimitMetrics(metrics.registry),
  });

  // Response cache and APQ in Redis: entity tags come from the subgraph fetches (the data source
  // records them), and mutations and Kafka events invalidate the responses holding what changed.
  const responseCache = startGatewayResponseCache({
    config: responseCaching,
    redis: redis.responseCache,
    subscriber: redis.cacheInvalidation,
    registry: metrics.registry,
    logger,
    consumeEvents: options.consumeCacheEvents ?? true,
  });

  const authenticate = authenticator({
    jwtSecret: config.JWT_SECRET,
    externalTokens: externalIdentity(config, logger),
    verifyApiKey: apiKeyVerification(config, logger, (name) => {
      const composedUrl = currentSupergraph().routingUrls.get(name);
      return composedUrl === undefined ? undefined : routeTo(name, composedUrl);
    }),
  });
  // One authentication per HTTP request, shared by the cache fast path and the GraphQL context.
  const principalOf = requestPrincipal(authenticate);
  // A refused caller is refused again before its next bodies are read, until its Retry-After.
  const refused = refusedCallers(sharedBuckets, {
    principalOf,
    apiKeysCapped: rateLimits.apiKeyCap !== undefined,
  });
  // Every charge is a gateway.rate_limit span of its request's trace.
  const rateLimiter = tracedRateLimiter(refused.limiter);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    // runUntilSignalled owns SIGTERM/SIGINT. Apollo's own handlers (on unless NODE_ENV=test) would
    // stop the server and re-send the signal, which the process takes for a second Ctrl-C and exits
    // with 1 before its drain, Kafka leave and store closes are done.
    stopOnTerminationSignals: false,
    // OPERATION_DEDUP_ENABLED: identical queries of one principal in flight share one execution.
    gateway: fetching.operationDedup
      ? withSharedOperations(gateway, {
          getPrincipal: (context) => (context as GatewayContext).principal,
          onShared: () => fetchMetrics.sharedOperations.inc(),
        })
      : gateway,
    persistedQueries: responseCache.persistedQueries,
    documentStore: documentCache(resilience.documentCacheBytes),
    parseOptions: { maxLexicalTokens: cost.limits.maxTokens },
    // A batch (at most MAX_BATCH_OPERATIONS, batchLimit) is priced as the sum of its operations
    // (the context's shared pricedOperations) and runs BATCH_CONCURRENCY of them at a time.
    allowBatchedHttpRequests: true,
    formatError: maskUnexpectedErrors,
    includeStacktraceInErrorResponses: false,
    logger: logger.child({ component: 'apollo-server' }),
    // Apollo starts every plugin's didResolveOperation in this order and runs them together: the
    // cost plugin records the price before its first await, so the rate limiter charges it.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      tracingPlugin(),
      refuseSubscriptionsOverHttp(),
      batchConcurrency(),
      persistedQueryErrorCodes(),
      // Anonymous callers may not introspect, so they get no "Did you mean" either.
      hideFieldSuggestions<GatewayContext>(
        (context) => context.principal.kind === 'anonymous' && config.ANONYMOUS_ACCESS !== 'all',
      ),
      authorizeOperation(() => currentSupergraph().publicRootFields, config.ANONYMOUS_ACCESS),
      costPlugin<GatewayContext>({ getModel: currentCostModel, limits: cost.limits }),
      // Requests refused before pricing (syntax, token limit, validation) are charged too.
      chargeRefusedRequests<GatewayContext>({
        charge: async (context, tokens) => {
          if (context.internal === true) return undefined;
          const decision = await rateLimiter.charge(context.principal, tokens, context.clientIp);
          return {
            headers: rateLimitHeaders(decision),
            refusal: decision.allowed ? undefined : rateLimitedError(decision),
          };
        },
      }),
      rateLimitPlugin<GatewayContext>({
        limiter: rateLimiter,
        // No operation is free: one priced 0 (`{ __typename }`), or refused by its price, costs
        // MIN_CHARGE.
        getCost: (context) => Math.max(MIN_CHARGE, context.cost?.cost ?? MIN_CHARGE),
        getPrincipal: (context) => context.principal,
        getClientIp: (context) => context.clientIp,
        isExempt: (context) => context.internal === true,
      }),
      responseCache.plugin,
      fetchFailureLog<GatewayContext>(),
      countGraphQLErrors(metrics),
      operationMetrics.plugin,
      logUnexpectedErrors(logger),
    ],
  });
  await apollo.start();

  let stopping = false;
  let stopped: Promise<void> | undefined;
  mountHealthRoutes(app, { isReady: () => supergraph !== undefined && !stopping });
  mountPublicMetrics(app, metrics.registry, config.METRICS_TOKEN);
  // Cached responses answered before Apollo, by the same authentication, authorization, limits
  // and rate limiter.
  const cacheFastPath = responseCache.fastPath(
    gatewayFastPathGate({
      principalOf,
      publicRootFields: () => currentSupergraph().publicRootFields,
      anonymousAccess: config.ANONYMOUS_ACCESS,
      costLimits: cost.limits,
      rateLimiter,
      hitCost: (price) => cacheHitCost(price, rateLimits.cacheHitShare),
    }),
  );
  // Subscriptions, one pipeline (authenticated like HTTP, the same limits, caps and charge) for
  // every transport: graphql-ws on the same server and path, SSE and multipart HTTP on the
  // /graphql route; each notification resolved through this gateway's own pipeline as the
  // subscriber. One Redis subscriber connection and one resolution gate for notificationAdded and
  // every field a subgraph declares @live.
  const liveChannelSet = liveChannels({
    redis: redis.subscriber,
    logger: logger.child({ component: 'subscriptions' }),
    // A notification makes its recipient's cached count and list stale, before its frame.
    onMessage: notificationInvalidation(responseCache.store, logger),
  });
  const subscriptionRunQuery = subscriptionQueries(gatewayQueryRunner(apollo, logger), {
    concurrency: subscribing.resolveConcurrency,
    registry: metrics.registry,
  });
  const retryDelivery = deliveryRetry(
    subscribing.deliveryRetry,
    createDeliveryRetryMetrics(metrics.registry),
  );
  const subscriptionSteps = subscriptionPipeline({
    authenticate,
    apiSchema: () => apiSchema,
    sources: [
      notificationSource({
        channels: liveChannelSet,
        runQuery: subscriptionRunQuery,
        inboxLimit: subscribing.limits.maxPending,
        retry: retryDelivery,
      }),
      liveSource({
        liveFields: () => supergraph?.liveFields.fields ?? new Map(),
        channels: liveChannelSet,
        runQuery: subscriptionRunQuery,
        inboxLimit: subscribing.limits.maxPending,
        retry: retryDelivery,
        logger,
      }),
    ],
    channels: liveChannelSet,
    limits: subscribing.limits,
    caps: subscribing.caps,
    costLimits: cost.limits,
    costModel: () => costModel,
    reauthenticateEveryMs: subscribing.reauthenticateEveryMs,
    startCost: rateLimits.subscriptionStartCost,
    onStart: options.subscriptionStartHook ?? chargeSubscriptionStart(rateLimiter),
    registry: metrics.registry,
    logger,
  });
  const subscriptionStreams = httpSubscriptions({
    pipeline: subscriptionSteps,
    heartbeatMs: subscribing.heartbeatMs,
    maxTokens: cost.limits.maxTokens,
    logger,
  });

  // GraphiQL for browsers (GET /graphql preferring text/html, and its bundle); all else: Apollo.
  mountExplorer(app, explorerConfig(config), logger.child({ component: 'explorer' }));
  app.use(
    '/graphql',
    corsForOrigins(config),
    assignRequestId(logger),
    measureRequests(metrics, logger),
    refused.refuseEarly,
    jsonBody(config.MAX_BODY_BYTES),
    // A subscription with a streaming Accept (SSE, multipart) is served here; the rest goes on.
    subscriptionStreams.handler,
    batchLimit(httpLimits.maxBatchOperations, refused.chargeRefused),
    ...(cacheFastPath ? [operationMetrics.measureFastPath(cacheFastPath)] : []),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GatewayContext> => {
        const scope = requestScope(res)!; // assignRequestId ran first on this route
        const principal = await principalOf(req, scope.requestId);
        // Every operation of the request (a batch has several) counts its failed fetches here:
        // one log line per request, once the response is sent.
        const fetchFailures = new FetchFailureTally();
        res.once('close', () => fetchFailures.log(scope.logger));
        return {
          principal,
          clientIp: req.ip,
          pricedOperations: [],
          fetchFailures,
          batchSlots: Array.isArray(req.body) ? batchSlots(httpLimits.batchConcurrency) : undefined,
          ...scope,
        };
      },
    }),
  );
  // The web app on this origin: its hashed assets, manifest and icons, and index.html for every
  // other browser navigation (never /graphql, /health or /metrics).
  mountWebApp(app, webAppConfig(config), logger.child({ component: 'web-app' }));
  app.use(jsonErrorResponses(logger));

  const subscriptions = startSubscriptionServer({
    httpServer,
    path: '/graphql',
    pipeline: subscriptionSteps,
    keepAliveMs: subscribing.keepAliveMs,
    // One frame may be as large as one HTTP body, no larger.
    maxMessageBytes: config.MAX_BODY_BYTES,
    logger,
  });
  const stopSubscriptions = async () => {
    subscriptionStreams.stop();
    await subscriptions.stop();
    await subscriptionSteps.close();
  };

  let metricsServer: MetricsServer | undefined;
  try {
    metricsServer = await startMetricsServer(
      metrics.registry,
      metricsListenAddress(config, config.PORT),
    );
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.PORT, config.HOST, resolve);
    });
  } catch (error) {
    await metricsServer?.stop();
    await stopSubscriptions();
    await apollo.stop();
    await responseCache.stop();
    disconnectRedis();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST}:${port}/graphql`;
  const metricsUrl = metricsServer.url;
  logger.info({ url, metricsUrl }, 'gateway listening');

  return {
    url,
    port,
    metricsUrl,
    httpServer,
    subscriptions,
    // Idempotent: a harness that stopped one gateway early stops everything again at the end.
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        // The invalidation consumer leaves its group while the requests drain, not after, so the
        // group hands its partitions on at once and the leave is not cut off by the grace period.
        await Promise.all([
          responseCache.stop(),
          (async () => {
            await stopSubscriptions();
            await apollo.stop();
          })(),
        ]);
        await metricsServer.stop();
        disconnectRedis();
      })()),
  };
}

/**
 * Starting a subscription costs SUBSCRIPTION_START_COST from the subscriber's token bucket, a
 * refused subscribe one token (the subscription server says which).
 */
function chargeSubscriptionStart(limiter: RateLimiter): SubscriptionStartHook {
  return async (principal, cost) => {
    const decision = await limiter.charge(principal, cost, undefined);
    if (!decision.allowed) throw rateLimitedError(decision, { http: false });
  };
}
