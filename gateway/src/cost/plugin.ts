import type {
  ApolloServerPlugin,
  GraphQLRequestContextDidResolveOperation,
  GraphQLResponse,
} from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { CostModel } from './model.js';
import { batchCostExceeded, checkLimits, tokenLimitExceeded, type CostLimits } from './limits.js';
import { priceOperation, sumMeasures, type OperationMeasure } from './price-operation.js';
import { countTokens, exceededTokenLimit } from './tokens.js';

/** What the cost step leaves on the request context for the steps after it (rate limit, logs). */
export interface PricedContext {
  /** The price of this operation, set once it passed every limit. */
  cost?: OperationMeasure;
  /**
   * Give each HTTP request one array (in the context function) and a batch is limited as the sum
   * of its operations: Apollo shallow-copies the context per operation, so the array is shared.
   */
  pricedOperations?: OperationMeasure[];
}

export interface CostPluginOptions<TContext extends PricedContext> {
  /** The model of the supergraph now served (it changes when the supergraph does). */
  getModel: () => CostModel;
  limits: CostLimits;
  /** Called with every measured operation, refused or not (metrics, logs). */
  onPriced?: (
    measure: OperationMeasure,
    requestContext: GraphQLRequestContextDidResolveOperation<TContext>,
  ) => void;
}

/**
 * Static cost analysis as an Apollo Server plugin. Once the operation is parsed and validated,
 * and before any resolver or subgraph runs, it prices the operation, refuses it over a limit
 * (HTTP 400, COST_LIMIT_EXCEEDED and friends) and stores the price on the context. Every response
 * of a priced operation carries `extensions.cost = { requested, limit }`.
 *
 * The token limit itself is graphql's parser's: pass `parseOptions: { maxLexicalTokens }` to
 * ApolloServer so parsing stops early; this plugin turns that syntax error into
 * TOKEN_LIMIT_EXCEEDED, and checks the count itself when parsing was not limited.
 */
export function costPlugin<TContext extends PricedContext>(
  options: CostPluginOptions<TContext>,
): ApolloServerPlugin<TContext> {
  const { getModel, limits, onPriced } = options;
  return {
    async requestDidStart() {
      let priced: OperationMeasure | undefined;
      let tokenError: GraphQLError | undefined;
      return {
        async parsingDidStart() {
          return async (error) => {
            const limit = exceededTokenLimit(error);
            if (limit !== undefined) tokenError = tokenLimitExceeded(limit);
          };
        },

        async didResolveOperation(requestContext) {
          const { document, operation, request, contextValue, source } = requestContext;
          if (!operation) return; // nothing runs; execution reports the missing operation
          const measure = priceOperation(
            document,
            request.operationName ?? undefined,
            request.variables ?? {},
            getModel(),
          );
          priced = measure;
          onPriced?.(measure, requestContext);
          const tokens =
            limits.maxTokens !== undefined ? countTokens(source, limits.maxTokens + 1) : undefined;
          const refusal = checkLimits({ ...measure, tokens }, limits);
          if (refusal) throw refusal;

          const batch = contextValue.pricedOperations;
          if (batch) {
            const total = sumMeasures([...batch, measure]).cost;
            if (limits.maxCost !== undefined && total > limits.maxCost) {
              throw batchCostExceeded(total, limits.maxCost);
            }
            batch.push(measure);
          }
          contextValue.cost = measure;
        },

        async willSendResponse({ response }) {
          if (tokenError) replaceErrors(response, tokenError);
          if (priced) addCostExtension(response, { requested: priced.cost, limit: limits.maxCost });
        },
      };
    },
  };
}

/** Apollo answered graphql's syntax error; the client gets TOKEN_LIMIT_EXCEEDED instead. */
function replaceErrors(response: GraphQLResponse, error: GraphQLError): void {
  if (response.body.kind !== 'single') return;
  const formatted: GraphQLFormattedError = {
    message: error.message,
    extensions: withoutHttp(error.extensions),
  };
  response.body.singleResult = { ...response.body.singleResult, errors: [formatted] };
}

function addCostExtension(
  response: GraphQLResponse,
  cost: { requested: number; limit: number | undefined },
): void {
  const result =
    response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
  result.extensions = { ...result.extensions, cost };
}

function withoutHttp(extensions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extensions).filter(([key]) => key !== 'http'));
}
