/** One error of a GraphQL response body, as a test reads it. */
export interface GraphQLErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A GraphQL response over HTTP: the status and the parsed body. */
export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: GraphQLErrorBody[];
  extensions?: Record<string, unknown>;
}

/** The `extensions.code` of each error, in order, for compact assertions. */
export function errorCodes(response: {
  errors?: readonly GraphQLErrorBody[];
}): Array<string | undefined> {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** The data of a response that must have succeeded; otherwise fails with what came back. */
export function dataOf<Data>(response: GraphQLResponse<Data>): Data {
  if (response.errors?.length || !response.data) {
    throw new Error(`expected data, got ${response.status} ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/** A GraphQL response over HTTP as a test reads it: the status, the headers and the parsed body. */
export interface GraphQLResult<Data = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: Omit<GraphQLResponse<Data>, 'status'>;
}

/**
 * POSTs a GraphQL request as a client would: `body` is the request object ({ query, variables,
 * extensions }) or, for malformed input, the raw text to send. Answers the status, the headers and
 * the parsed JSON body.
 */
export async function postGraphQL<Data = Record<string, unknown>>(
  url: string,
  body: object | string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResult<Data>['body'],
  };
}
