import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { ErrorCode, platformError } from '@platform/errors';
import { CostErrorCode, checkLimits, type CostLimits } from '../cost/limits.js';
import type { CostModel } from '../cost/model.js';
import { priceOperation, type OperationMeasure } from '../cost/price-operation.js';
import { parseWithTokenLimit } from '../cost/tokens.js';
import { documentNesting } from './document-nesting.js';

/**
 * Deeper nesting of `{`/`[` than this (or than MAX_QUERY_DEPTH, when that is larger) is refused
 * DEPTH_LIMIT_EXCEEDED before parsing: graphql's parser is recursive, and this stays far below
 * where it runs out of stack. Between MAX_QUERY_DEPTH and this, the document is parsed and its
 * real depth (fields, not brackets: input objects and lists nest brackets too) decides.
 */
const PARSER_NESTING_LIMIT = 64;

/** Distinct subscription documents kept parsed and validated, per API schema. */
const PARSED_DOCUMENTS_PER_SCHEMA = 500;

/**
 * Documents that passed the nesting and token checks, parsing and validation against a schema,
 * by query text. Every socket of an app sends the same few subscription texts: without this, each
 * of 10,000 sockets holds its own AST (with the lexer's tokens in every node's `loc`) and parses
 * and validates it again. A schema is replaced whole when the supergraph changes, and its entries
 * go with it (WeakMap).
 */
const checkedDocuments = new WeakMap<GraphQLSchema, LRUCache<string, DocumentNode>>();

function checkedDocumentsOf(schema: GraphQLSchema): LRUCache<string, DocumentNode> {
  let documents = checkedDocuments.get(schema);
  if (!documents) {
    documents = new LRUCache<string, DocumentNode>({ max: PARSED_DOCUMENTS_PER_SCHEMA });
    checkedDocuments.set(schema, documents);
  }
  return documents;
}

/** What a graphql-ws `subscribe` message carries. */
export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A subscribe message that is a valid subscription of exactly one root field. */
export interface SubscriptionRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The one root field subscribed. */
  root: FieldNode;
  /** The variables as the client sent them. */
  variables: Record<string, unknown>;
  /** The variables coerced to their declared types. */
  coercedVariables: Record<string, unknown>;
  /** Its price and shape, within every limit (the cost of resolving one event). */
  measure: OperationMeasure;
}

/** The HTTP path's operation limits, and the model that prices operations (`cost/`). */
export interface SubscribeLimits {
  costLimits: CostLimits;
  costModel: CostModel;
}

/**
 * Checks a subscribe message against the API schema the gateway serves, with the HTTP path's
 * limits, cheapest first: a document nested far too deep for the recursive parser is refused
 * DEPTH_LIMIT_EXCEEDED from its tokens (`documentNesting`), the token limit stops graphql's lexer
 * early (TOKEN_LIMIT_EXCEEDED), a syntax error is GRAPHQL_PARSE_FAILED; depth, aliases, root fields and cost are checked by `cost/` before
 * validation (DEPTH_LIMIT_EXCEEDED and friends), then an unknown field (or any invalid document)
 * is GRAPHQL_VALIDATION_FAILED, bad variables BAD_USER_INPUT, and anything but a subscription of
 * one of `fields` (one root field, no directive on it) BAD_REQUEST.
 */
export function readSubscriptionRequest(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  fields: readonly string[],
  { costLimits, costModel }: SubscribeLimits,
): SubscriptionRequest | GraphQLError[] {
  const documents = checkedDocumentsOf(schema);
  // The text checks depend on these two limits; the gateway's are fixed, a test's may not be.
  const key = `${costLimits.maxTokens}:${costLimits.maxDepth}:${payload.query}`;
  const checked = documents.get(key);
  const document = checked ?? parseChecked(payload.query, costLimits);
  if (Array.isArray(document)) return document;

  const operation = getOperationAST(document, payload.operationName);
  if (!operation) {
    return [
      badRequest(
        payload.operationName
          ? `Unknown operation named "${payload.operationName}"`
          : 'Must provide operation name if query contains multiple operations',
      ),
    ];
  }
  const measure = priceOperation(
    document,
    payload.operationName ?? undefined,
    payload.variables ?? {},
    costModel,
  );
  const overLimit = checkLimits(measure, costLimits);
  if (overLimit) return [forWebSocket(overLimit)];

  if (!checked) {
    const invalid = validate(schema, document);
    if (invalid.length > 0) {
      return invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED'));
    }
    documents.set(key, document);
  }

  const [root, ...others] = operation.selectionSet.selections;
  if (
    operation.operation !== OperationTypeNode.SUBSCRIPTION ||
    others.length > 0 ||
    root?.kind !== Kind.FIELD ||
    !fields.includes(root.name.value)
  ) {
    return [badRequest(`Only ${fields.join(', ')} can be subscribed`)];
  }
  if (root.directives?.length) {
    return [badRequest(`Directives on ${root.name.value} itself are not supported`)];
  }

  const variables = payload.variables ?? {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return coerced.errors.map((error) => coded(error, ErrorCode.BadUserInput));

  return {
    schema,
    document,
    operation,
    root,
    variables,
    coercedVariables: coerced.coerced,
    measure,
  };
}

/**
 * The nesting check, then parsing under the token limit: the document, or why it is refused
 * (DEPTH_LIMIT_EXCEEDED, TOKEN_LIMIT_EXCEEDED, GRAPHQL_PARSE_FAILED).
 */
function parseChecked(query: string, costLimits: CostLimits): DocumentNode | GraphQLError[] {
  const parseable = Math.max(PARSER_NESTING_LIMIT, costLimits.maxDepth ?? 0);
  const nesting = documentNesting(query, {
    maxTokens: costLimits.maxTokens,
    stopAbove: parseable,
  });
  if (nesting > parseable) {
    return [
      platformError(
        CostErrorCode.DepthLimitExceeded,
        `Operation nests at least ${nesting} levels deep, over the depth limit of ${costLimits.maxDepth ?? PARSER_NESTING_LIMIT}`,
        { depth: nesting, limit: costLimits.maxDepth ?? PARSER_NESTING_LIMIT },
      ),
    ];
  }
  try {
    return costLimits.maxTokens === undefined
      ? parse(query)
      : parseWithTokenLimit(query, costLimits.maxTokens);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return [error.extensions.code ? forWebSocket(error) : coded(error, 'GRAPHQL_PARSE_FAILED')];
  }
}

function coded(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code },
  });
}

/** The error without `extensions.http`, which only means something on the HTTP path. */
function forWebSocket(error: GraphQLError): GraphQLError {
  const extensions = Object.entries(error.extensions).filter(([key]) => key !== 'http');
  return new GraphQLError(error.message, { extensions: Object.fromEntries(extensions) });
}

export const badRequest = (message: string) => platformError(ErrorCode.BadRequest, message);
