import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createLogger } from '@platform/logger';
import { createTestDatabase, stackEndpoints, uniqueName } from '@platform/testing';
import { loadDataConfig, startDataSubgraph, type DataSubgraph } from '@platform/data-subgraph';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@platform/gateway';
import { loadUserConfig, startUserSubgraph, type UserSubgraph } from '@platform/user-subgraph';

/**
 * The real platform for end-to-end tests: the user subgraph on a fresh PostgreSQL database, the
 * data subgraph on a fresh MongoDB database, and the gateway serving the committed supergraph
 * (schema/supergraph.graphql) with routing pointed at them. Clients talk to the gateway over HTTP.
 */
export interface TestPlatform {
  gatewayUrl: string;
  user: UserSubgraph;
  data: DataSubgraph;
  gateway: RunningGateway;
  secrets: { JWT_SECRET: string; GATEWAY_SECRET: string };
  stop(): Promise<void>;
}

const quiet = (service: string) => createLogger(service, { level: 'silent' });

export async function startTestPlatform(): Promise<TestPlatform> {
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
  };
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const database = await createTestDatabase('e2e_user');
    stops.push(database.drop);
    const user = await startUserSubgraph(
      { ...loadUserConfig({ ...secrets, DATABASE_URL: database.url }), PORT: 0 },
      quiet('user'),
    );
    stops.push(user.stop);

    const mongoDatabase = uniqueName('e2e_data');
    stops.push(async () => {
      const client = await MongoClient.connect(stackEndpoints().mongo.url);
      await client.db(mongoDatabase).dropDatabase();
      await client.close();
    });
    const data = await startDataSubgraph(
      { ...loadDataConfig({ ...secrets, MONGO_DATABASE: mongoDatabase }), PORT: 0 },
      quiet('data'),
    );
    stops.push(data.stop);

    const gateway = await startGateway(
      { ...loadGatewayConfig({ ...secrets }), PORT: 0 },
      quiet('gateway'),
      { subgraphUrls: { user: user.url, data: data.url } },
    );
    stops.push(gateway.stop);

    return { gatewayUrl: gateway.url, user, data, gateway, secrets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface GraphQLResult<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: { code?: string } & Record<string, unknown>;
  }>;
}

export type Credential = { token: string } | { apiKey: string } | undefined;

function credentialHeaders(credential: Credential): Record<string, string> {
  if (!credential) return {};
  return 'token' in credential
    ? { authorization: `Bearer ${credential.token}` }
    : { 'x-api-key': credential.apiKey };
}

/** POSTs a GraphQL operation to the gateway as a client would. */
export async function graphql<Data = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  credential?: Credential,
): Promise<GraphQLResult<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders(credential) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The current value of a counter on a service's /metrics (0 when it has no sample yet). */
export async function counter(
  graphqlUrl: string,
  name: string,
  labels: Record<string, string> = {},
) {
  const text = await (await fetch(new URL('/metrics', graphqlUrl))).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        (candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`)) &&
        wanted.every((label) => candidate.includes(label)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

export interface SignedUpUser {
  id: string;
  email: string;
  token: string;
}

export async function signUp(url: string, name: string): Promise<SignedUpUser> {
  const email = `${uniqueName(name)}@example.com`;
  const result = await graphql<{ signUp: { token: string; user: { id: string } } }>(
    url,
    'mutation ($email: String!, $name: String!) { signUp(email: $email, name: $name, password: "correct horse battery") { token user { id } } }',
    { email, name },
  );
  if (!result.data) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return { id: result.data.signUp.user.id, email, token: result.data.signUp.token };
}
