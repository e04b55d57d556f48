import type { Client } from '../client.js';
import * as ops from '../generated/operations.js';
import { liveDocuments, type LiveOptions } from '../live.js';
import { paginated } from './pagination.js';

export type ProjectsConnection = ops.ProjectsQuery['projects'];
export type DocumentsConnection = ops.DocumentsQuery['documents'];

/** Projects and documents (the data subgraph). */
export function dataNamespace(client: Client) {
  return {
    project: async (id: string) => (await client.request(ops.ProjectDocument, { id })).project,
    /** One page of the caller's projects (every project, for administrators). */
    projects: paginated(
      async (variables: ops.ProjectsQueryVariables) =>
        (await client.request(ops.ProjectsDocument, variables)).projects,
    ),
    /**
     * One page of a project's members in the order they joined (empty when the project is not
     * visible); `iterate` reads them all.
     */
    projectMembers: paginated(
      async (variables: ops.ProjectMembersQueryVariables) =>
        (await client.request(ops.ProjectMembersDocument, variables)).project?.members ?? {
          edges: [],
          pageInfo: { hasNextPage: false, endCursor: null },
        },
    ),
    createProject: async (input: ops.CreateProjectInput) =>
      (await client.request(ops.CreateProjectDocument, { input })).createProject,
    addProjectMember: async (variables: ops.AddProjectMemberMutationVariables) =>
      (await client.request(ops.AddProjectMemberDocument, variables)).addProjectMember,
    /** Renames or redescribes a project (owner or administrator); omitted fields stay. */
    updateProject: async (id: string, input: ops.UpdateProjectInput) =>
      (await client.request(ops.UpdateProjectDocument, { id, input })).updateProject,
    /** Deletes a project and all its documents (owner or administrator); resolves with its id. */
    deleteProject: async (id: string) =>
      (await client.request(ops.DeleteProjectDocument, { id })).deleteProject,
    /** Removes a member (owner, administrator, or the member themselves); LAST_OWNER for the owner. */
    removeProjectMember: async (variables: ops.RemoveProjectMemberMutationVariables) =>
      (await client.request(ops.RemoveProjectMemberDocument, variables)).removeProjectMember,
    document: async (id: string) => (await client.request(ops.DocumentDocument, { id })).document,
    /** One page of a project's documents, optionally by tag or title substring. */
    documents: paginated(
      async (variables: ops.DocumentsQueryVariables) =>
        (await client.request(ops.DocumentsDocument, variables)).documents,
    ),
    createDocument: async (input: ops.CreateDocumentInput) =>
      (await client.request(ops.CreateDocumentDocument, { input })).createDocument,
    /** Applies `patch` only at `expectedVersion`; otherwise rejects with VersionConflictError. */
    updateDocument: async (variables: ops.UpdateDocumentMutationVariables) =>
      (await client.request(ops.UpdateDocumentDocument, variables)).updateDocument,
    /** Deletes the document; resolves with its id. */
    deleteDocument: async (id: string) =>
      (await client.request(ops.DeleteDocumentDocument, { id })).deleteDocument,
    /**
     * The project's documents as members create or update them, live, resumed across socket
     * drops from the last `changeCursor` delivered; see `liveDocuments`.
     */
    documentChanged: (projectId: string, options?: LiveOptions) =>
      liveDocuments(client, projectId, options),
  };
}
