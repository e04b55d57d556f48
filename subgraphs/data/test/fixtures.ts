import { dataOf } from '@platform/testing';
import type { Caller } from './harness.js';

/** Operations most tests need, through the public API. */

/** `Project.members` as a test selects it (`members { edges { node { user { id } } } }`). */
export function membersOf(...userIds: string[]) {
  return { edges: userIds.map((id) => ({ node: { user: { id } } })) };
}

export async function createProject(caller: Caller, name = 'Project'): Promise<string> {
  const response = await caller.request<{ createProject: { id: string } }>(
    'mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }',
    { input: { name } },
  );
  return dataOf(response).createProject.id;
}

export async function addMember(caller: Caller, projectId: string, userId: string): Promise<void> {
  dataOf(
    await caller.request(
      'mutation ($projectId: ID!, $userId: ID!) { addProjectMember(projectId: $projectId, userId: $userId) { id } }',
      { projectId, userId },
    ),
  );
}

export interface DocumentFields {
  title?: string;
  body?: unknown;
  tags?: string[];
}

export interface CreatedDocument {
  id: string;
  title: string;
  version: number;
}

export async function createDocument(
  caller: Caller,
  projectId: string,
  fields: DocumentFields = {},
): Promise<CreatedDocument> {
  const response = await caller.request<{ createDocument: CreatedDocument }>(
    `mutation ($input: CreateDocumentInput!) {
      createDocument(input: $input) { id title version }
    }`,
    { input: { projectId, title: 'Document', ...fields } },
  );
  return dataOf(response).createDocument;
}
