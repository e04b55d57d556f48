import { randomBytes } from 'node:crypto';
import { dataOf, postGraphQL } from './graphql-client.js';

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
}

export async function signUp(gatewayUrl: string, name: string): Promise<BenchUser> {
  const email = `bench.${randomBytes(6).toString('hex')}@example.com`;
  const answer = await postGraphQL<{ signUp: { token: string; user: { id: string } } }>(
    gatewayUrl,
    SIGN_UP,
    { email, name, password: 'bench horse battery staple' },
  );
  const { signUp: payload } = dataOf(answer, `signUp ${name}`);
  return { id: payload.user.id, token: payload.token };
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
