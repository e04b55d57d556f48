/** One GraphQL POST as a client sends it, with the raw bytes of the answer kept. */
export interface GraphQLAnswer<Data = Record<string, unknown>> {
  status: number;
  headers: Record<string, string>;
  /** The response body exactly as received. */
  body: string;
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function postGraphQL<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLAnswer<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.text();
  let parsed: Pick<GraphQLAnswer<Data>, 'data' | 'errors'> = {};
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    // Not JSON: the caller sees the raw body and the status.
  }
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body,
    ...parsed,
  };
}

/** The data of a successful answer; anything else fails with what the server said. */
export function dataOf<Data>(answer: GraphQLAnswer<Data>, what: string): Data {
  if (answer.status !== 200 || answer.errors?.length || !answer.data) {
    throw new Error(`${what} failed (HTTP ${answer.status}): ${answer.body.slice(0, 2000)}`);
  }
  return answer.data;
}
