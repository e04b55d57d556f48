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
