import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { dataOf, postGraphQL, type GraphQLAnswer } from './graphql-client.js';

/** The operations the benchmark writes its world with, through a gateway as clients do. */

const SIGN_UP = `mutation ($email: String!, $name: String!, $password: String!) {
  signUp(email: $email, name: $name, password: $password) { token user { id } }
}`;

/** [what it is called in errors, the operation] */
export type Mutation = readonly [string, string];

export const CREATE_PROJECT: Mutation = [
  'createProject',
  `mutation ($name: String!, $description: String) {
    createProject(input: { name: $name, description: $description }) { id }
  }`,
];
export const ADD_MEMBER: Mutation = [
  'addProjectMember',
  `mutation ($projectId: ID!, $userId: ID!) {
    addProjectMember(projectId: $projectId, userId: $userId) { id }
  }`,
];
export const CREATE_DOCUMENT: Mutation = [
  'createDocument',
  'mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id version } }',
];
export const UPDATE_DOCUMENT: Mutation = [
  'updateDocument',
  `mutation ($id: ID!, $expectedVersion: Int!, $patch: DocumentPatch!) {
    updateDocument(id: $id, expectedVersion: $expectedVersion, patch: $patch) { id version }
  }`,
];

export interface BenchUser {
  id: string;
  token: string;
  /** For signing in through the web app (bench/src/web). */
  email: string;
}

export const BENCH_PASSWORD = 'bench horse battery staple';

export async function signUp(gatewayUrl: string, name: string): Promise<BenchUser> {
  const email = `bench.${randomBytes(6).toString('hex')}@example.com`;
  const answer = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
    gatewayUrl,
    SIGN_UP,
    { email, name, password: BENCH_PASSWORD },
  );
  const { signUp: payload } = dataOf(answer, `signUp ${name}`);
  return { id: payload.user.id, token: payload.token, email };
}

export async function mutate<Data>(
  gatewayUrl: string,
  user: BenchUser,
  [name, mutation]: Mutation,
  variables: Record<string, unknown>,
): Promise<Data> {
  const answer = await postGraphQL<Data>(gatewayUrl, mutation, variables, user.token);
  return dataOf(answer, name);
}

/** Answers worth another attempt: the limiter or a subgraph that could not be reached in time. */
function isTransient(answer: GraphQLAnswer<unknown>): boolean {
  return (
    answer.status === 429 ||
    answer.status >= 502 ||
    (answer.errors ?? []).some(
      (error) =>
        error.extensions?.code === 'SUBGRAPH_UNAVAILABLE' ||
        error.extensions?.code === 'RATE_LIMITED',
    )
  );
}

/**
 * `mutate`, tried again after a transient failure. Only for writes whose duplicates do no harm:
 * a timed-out mutation may have been applied, so a retry can write twice (the growth tolerates an
 * extra project or document of some other user; the seed does not use this).
 */
export async function mutateWithRetry<Data>(
  gatewayUrl: string,
  user: BenchUser,
  [name, mutation]: Mutation,
  variables: Record<string, unknown>,
  attempts = 4,
): Promise<Data> {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await postGraphQL<Data>(gatewayUrl, mutation, variables, user.token);
    if (attempt >= attempts || !isTransient(answer)) return dataOf(answer, name);
    await sleep(500 * attempt);
  }
}
