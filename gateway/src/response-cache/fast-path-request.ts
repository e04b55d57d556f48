import { queryHashOf, requestIdentity, type OperationIdentity } from './cache-keys.js';

/** A request the fast path can key exactly as the normal path would. */
export interface FastPathRequest {
  identity: OperationIdentity;
  /**
   * Set for a persisted query sent by hash alone: the normal path answers it only while the hash
   * is registered (else PERSISTED_QUERY_NOT_FOUND), so the fast path must check that too.
   */
  persistedQueryHash?: string;
}

export interface HttpRequestShape {
  method: string;
  /** The parsed JSON body (jsonBody), undefined when there was none. */
  body: unknown;
  accept: string | undefined;
}

const BODY_FIELDS = new Set(['query', 'operationName', 'variables', 'extensions']);

/**
 * Accept values Apollo Server answers with `application/json; charset=utf-8` for sure. Anything
 * else (graphql-response+json, q-values, multipart) goes to the normal path, which negotiates.
 */
const PLAIN_JSON_ACCEPTS = new Set(['*/*', 'application/*', 'application/json']);

/**
 * The request's identity when it is a plain one: a POST with a JSON object holding a query (or a
 * registered persisted query's hash alone), an optional operation name and variables, asking for
 * JSON. Undefined for anything else (GET, batches, other extensions, an APQ registration, fields
 * of the wrong type), which the normal path serves or refuses as it always did.
 */
export function fastPathRequest({
  method,
  body,
  accept,
}: HttpRequestShape): FastPathRequest | undefined {
  if (method !== 'POST' || !isRecord(body)) return undefined;
  if (
    accept !== undefined &&
    !accept.split(',').every((type) => PLAIN_JSON_ACCEPTS.has(type.trim()))
  ) {
    return undefined;
  }
  if (Object.keys(body).some((field) => !BODY_FIELDS.has(field))) return undefined;
  const { query, operationName, variables, extensions } = body;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (variables != null && !isRecord(variables)) return undefined;

  if (extensions == null) {
    if (typeof query !== 'string' || query === '') return undefined;
    return { identity: requestIdentity(queryHashOf(query), operationName, variables) };
  }
  const hash = persistedQueryHash(extensions);
  // With the query too, the normal path registers it: leave that to it.
  if (hash === undefined || query !== undefined) return undefined;
  return { identity: requestIdentity(hash, operationName, variables), persistedQueryHash: hash };
}

/** The hash of `{ persistedQuery: { version: 1, sha256Hash } }` and nothing else. */
function persistedQueryHash(extensions: unknown): string | undefined {
  if (!isRecord(extensions) || Object.keys(extensions).length !== 1) return undefined;
  const persisted = extensions.persistedQuery;
  if (!isRecord(persisted) || persisted.version !== 1) return undefined;
  const { sha256Hash } = persisted;
  return typeof sha256Hash === 'string' && /^[0-9a-f]{64}$/.test(sha256Hash)
    ? sha256Hash
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
  );
}
