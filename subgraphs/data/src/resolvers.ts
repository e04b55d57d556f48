import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { DataContext } from './context.js';
import {
  documentBody,
  type CreateDocumentInput,
  type DocumentPatch,
} from './domain/document-input.js';
import { updateDocument } from './domain/document-updates.js';
import {
  createDocument,
  deleteDocument,
  findDocument,
  listDocuments,
  listProjectDocuments,
  projectOfDocument,
  type DocumentListArgs,
} from './domain/documents.js';
import type { PageArgs } from './domain/pages.js';
import { addProjectMember } from './domain/project-members.js';
import {
  createProject,
  findProject,
  listMemberProjects,
  listProjects,
  type CreateProjectInput,
  type ProjectFilter,
} from './domain/projects.js';
import type { DocumentRecord, ProjectRecord } from './repositories/index.js';

interface Reference {
  id: string;
}

/** Users belong to the user subgraph: this one hands out references it resolves. */
const userReference = (id: string) => ({ __typename: 'User' as const, id });

export const resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,

  Query: {
    project: (_: unknown, { id }: { id: string }, context: DataContext) => findProject(context, id),
    projects: (
      _: unknown,
      args: PageArgs & { filter?: ProjectFilter | null },
      context: DataContext,
    ) => listProjects(context, args),
    document: (_: unknown, { id }: { id: string }, context: DataContext) =>
      findDocument(context, id),
    documents: (
      _: unknown,
      { projectId, ...args }: DocumentListArgs & { projectId: string },
      context: DataContext,
    ) => listDocuments(context, projectId, args),
  },

  Mutation: {
    createProject: (_: unknown, { input }: { input: CreateProjectInput }, context: DataContext) =>
      createProject(context, input),
    addProjectMember: (
      _: unknown,
      { projectId, userId }: { projectId: string; userId: string },
      context: DataContext,
    ) => addProjectMember(context, projectId, userId),
    createDocument: (_: unknown, { input }: { input: CreateDocumentInput }, context: DataContext) =>
      createDocument(context, input),
    updateDocument: (
      _: unknown,
      args: { id: string; expectedVersion: number; patch: DocumentPatch },
      context: DataContext,
    ) => updateDocument(context, args.id, args.expectedVersion, args.patch),
    deleteDocument: (_: unknown, { id }: { id: string }, context: DataContext) =>
      deleteDocument(context, id),
  },

  User: {
    __resolveReference: ({ id }: Reference) => ({ id }),
    projects: (user: Reference, args: PageArgs, context: DataContext) =>
      listMemberProjects(context, user.id, args),
  },

  Project: {
    __resolveReference: ({ id }: Reference, context: DataContext) => findProject(context, id),
    id: (project: ProjectRecord) => project._id,
    owner: (project: ProjectRecord) => userReference(project.ownerId),
    members: (project: ProjectRecord) => project.memberIds.map(userReference),
    documents: (project: ProjectRecord, args: DocumentListArgs, context: DataContext) =>
      listProjectDocuments(context, project, args),
  },

  Document: {
    __resolveReference: ({ id }: Reference, context: DataContext) => findDocument(context, id),
    id: (document: DocumentRecord) => document._id,
    project: (document: DocumentRecord, _: unknown, context: DataContext) =>
      projectOfDocument(context, document),
    body: (document: DocumentRecord) => documentBody(document),
    author: (document: DocumentRecord) => userReference(document.authorId),
  },
};
