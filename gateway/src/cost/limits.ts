import type { GraphQLError } from 'graphql';
import { platformError } from '@platform/errors';
import type { OperationMeasure } from './price-operation.js';

/** The codes of the refusals (all HTTP 400). */
export const CostErrorCode = {
  CostLimitExceeded: 'COST_LIMIT_EXCEEDED',
  DepthLimitExceeded: 'DEPTH_LIMIT_EXCEEDED',
  AliasLimitExceeded: 'ALIAS_LIMIT_EXCEEDED',
  RootFieldLimitExceeded: 'ROOT_FIELD_LIMIT_EXCEEDED',
  TokenLimitExceeded: 'TOKEN_LIMIT_EXCEEDED',
} as const;

export type CostErrorCode = (typeof CostErrorCode)[keyof typeof CostErrorCode];

/** Each limit is inclusive (a cost equal to maxCost passes); an absent limit is not checked. */
export interface CostLimits {
  maxCost?: number;
  maxDepth?: number;
  maxAliases?: number;
  maxRootFields?: number;
  maxTokens?: number;
}

/** A measure and, when known, the document's lexical token count. */
export type LimitedMeasure = OperationMeasure & { tokens?: number };

/**
 * The first limit the measure exceeds, as the error to refuse the operation with, checked in the
 * order tokens, depth, aliases, root fields, cost (shape before price).
 */
export function checkLimits(measure: LimitedMeasure, limits: CostLimits): GraphQLError | undefined {
  if (measure.tokens !== undefined && exceeds(measure.tokens, limits.maxTokens)) {
    return tokenLimitExceeded(limits.maxTokens);
  }
  if (exceeds(measure.depth, limits.maxDepth)) {
    return limitError(
      CostErrorCode.DepthLimitExceeded,
      `Operation depth ${measure.depth} exceeds the limit of ${limits.maxDepth}`,
      { depth: measure.depth, limit: limits.maxDepth },
    );
  }
  if (exceeds(measure.aliases, limits.maxAliases)) {
    return limitError(
      CostErrorCode.AliasLimitExceeded,
      `Operation uses ${measure.aliases} aliases, over the limit of ${limits.maxAliases}`,
      { aliases: measure.aliases, limit: limits.maxAliases },
    );
  }
  if (exceeds(measure.rootFields, limits.maxRootFields)) {
    return limitError(
      CostErrorCode.RootFieldLimitExceeded,
      `Operation selects ${measure.rootFields} root fields, over the limit of ${limits.maxRootFields}`,
      { rootFields: measure.rootFields, limit: limits.maxRootFields },
    );
  }
  if (exceeds(measure.cost, limits.maxCost)) {
    return limitError(
      CostErrorCode.CostLimitExceeded,
      `Operation cost ${measure.cost} exceeds the limit of ${limits.maxCost}`,
      { cost: measure.cost, limit: limits.maxCost },
    );
  }
  return undefined;
}

/**
 * The refusal of a document over the token limit. It names the limit, not the document's count:
 * counting a huge document to the end is the work the limit is there to avoid.
 */
export function tokenLimitExceeded(limit: number): GraphQLError {
  return limitError(
    CostErrorCode.TokenLimitExceeded,
    `Operation has more than ${limit} tokens, the limit`,
    { limit },
  );
}

function exceeds(value: number, limit: number | undefined): limit is number {
  return limit !== undefined && value > limit;
}

function limitError(code: CostErrorCode, message: string, measured: Record<string, unknown>) {
  return platformError(code, message, { ...measured, http: { status: 400 } });
}

/** The operations of one HTTP batch, priced together, cost more than one operation may. */
export function batchCostExceeded(total: number, limit: number): GraphQLError {
  return limitError(
    CostErrorCode.CostLimitExceeded,
    `Batch cost ${total} (the sum of its operations) exceeds the limit of ${limit}`,
    { cost: total, limit },
  );
}
