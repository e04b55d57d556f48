import { getOperationAST, type DocumentNode } from 'graphql';
import { ErrorCode, platformError } from '@platform/errors';
import type { CostModel } from './model.js';
import { operationCost } from './operation-cost.js';
import { operationShape } from './operation-shape.js';
import { fragmentsOf, variableValues } from './operation-values.js';

/** What one operation asks for, measured before anything runs. */
export interface OperationMeasure {
  /** The static cost (see operationCost); what the rate limiter charges. */
  cost: number;
  depth: number;
  aliases: number;
  rootFields: number;
}

/**
 * Prices the operation a request selects (by name when the document holds several) against the
 * model's API types, with the request's variables. Expects a validated document, but stays finite
 * on any: unknown fields are priced by shape, fragment cycles are cut.
 */
export function priceOperation(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Readonly<Record<string, unknown>>,
  model: CostModel,
): OperationMeasure {
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    throw platformError(
      ErrorCode.BadRequest,
      operationName
        ? `Unknown operation named "${operationName}"`
        : 'Must provide operation name if query contains multiple operations',
      { http: { status: 400 } },
    );
  }
  const fragments = fragmentsOf(document);
  const values = variableValues(operation, variables);
  return {
    cost: operationCost(operation, fragments, values, model),
    ...operationShape(operation, fragments, values),
  };
}

/** One request's operations (an HTTP batch): costs, aliases and root fields add up; depth is the deepest. */
export function sumMeasures(measures: Iterable<OperationMeasure>): OperationMeasure {
  let total: OperationMeasure = { cost: 0, depth: 0, aliases: 0, rootFields: 0 };
  for (const measure of measures) {
    total = {
      cost: Math.min(total.cost + measure.cost, Number.MAX_SAFE_INTEGER),
      depth: Math.max(total.depth, measure.depth),
      aliases: total.aliases + measure.aliases,
      rootFields: total.rootFields + measure.rootFields,
    };
  }
  return total;
}

/** One operation of a batch, as its HTTP body gives it. */
export interface PricedRequest {
  document: DocumentNode;
  operationName?: string;
  variables?: Readonly<Record<string, unknown>>;
}

/** Prices a batch (an array of operations in one HTTP request) as the sum of its operations. */
export function priceBatch(requests: readonly PricedRequest[], model: CostModel): OperationMeasure {
  return sumMeasures(
    requests.map((request) =>
      priceOperation(request.document, request.operationName, request.variables ?? {}, model),
    ),
  );
}
