import type { IncomingMessage } from 'node:http';
import { OperationTypeNode, getOperationAST, parse } from 'graphql';
import type { SubscribePayload } from '../subscription-request.js';
import { multipartFraming, sseFraming, type StreamFraming } from './framing.js';

/** Apollo's clients send `multipart/mixed;subscriptionSpec=1.0` (or `subscriptionSpec="1.0"`). */
const MULTIPART_SUBSCRIPTION = /multipart\/mixed[^,]*;\s*subscriptionspec\s*=\s*"?1\.0"?/i;
const EVENT_STREAM = /(^|,)\s*text\/event-stream\s*(;|,|$)/i;

/** The streaming transport the request's Accept asks for; undefined for a plain request. */
export function streamFramingOf(req: IncomingMessage): StreamFraming | undefined {
  const accept = req.headers.accept ?? '';
  if (MULTIPART_SUBSCRIPTION.test(accept))
    return req.method === 'POST' ? multipartFraming : undefined;
  if (EVENT_STREAM.test(accept)) {
    return req.method === 'POST' || req.method === 'GET' ? sseFraming : undefined;
  }
  return undefined;
}

/** What a streaming request asks for: a subscription to serve, or something Apollo answers. */
export type StreamRequest =
  | { subscribe: SubscribePayload }
  | { invalid: string }
  /** A query or mutation, a batch, or a persisted query without its text: Apollo answers it. */
  | { notSubscription: true };

/**
 * The GraphQL request of a POST body (already parsed, `jsonBody`) or a GET's search parameters
 * (`query`, `variables` as JSON, `operationName`: graphql-sse's GET form). A document that does
 * not parse is read as a subscription, so the pipeline refuses it with its own code
 * (GRAPHQL_PARSE_FAILED, TOKEN_LIMIT_EXCEEDED); parsing stops at `maxTokens` like Apollo's.
 */
export function readStreamRequest(
  req: IncomingMessage & { body?: unknown },
  maxTokens: number | undefined,
): StreamRequest {
  const fields = req.method === 'GET' ? searchFields(req) : req.body;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return { notSubscription: true };
  }
  const { query, variables, operationName } = fields as Record<string, unknown>;
  if (typeof query !== 'string') return { notSubscription: true };
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return { invalid: '`operationName` must be a string' };
  }
  const vars = typeof variables === 'string' ? parseJson(variables) : variables;
  if (vars !== undefined && vars !== null && (typeof vars !== 'object' || Array.isArray(vars))) {
    return { invalid: '`variables` must be an object' };
  }
  const payload: SubscribePayload = {
    query,
    operationName: operationName ?? null,
    variables: (vars as Record<string, unknown> | null | undefined) ?? null,
  };
  return isSubscription(payload, maxTokens) ? { subscribe: payload } : { notSubscription: true };
}

function searchFields(req: IncomingMessage): Record<string, unknown> {
  const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const fields: Record<string, unknown> = {};
  for (const key of ['query', 'variables', 'operationName']) {
    const value = search.get(key);
    if (value !== null) fields[key] = value;
  }
  return fields;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isSubscription(payload: SubscribePayload, maxTokens: number | undefined): boolean {
  try {
    const document = parse(payload.query, { maxTokens, noLocation: true });
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    return !operation || operation.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    return true;
  }
}
