// The resolver map type buildSubgraphSchema takes; @apollo/subgraph does not re-export it at its root.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { DataContext } from './context.js';
import {
  documentBody,
  type CreateDocumentInput,
  type DocumentPatch,
} from './domain/document-input.js';
import type { DocumentListArgs } from './domain/documents.js';
import type { PageArgs } from './domain/pages.js';
import type { CreateProjectInput, ProjectFilter } from './domain/projects.js';
import type { DocumentRecord, ProjectRecord } from './repositories/index.js';

type Context = DataContext;

interface Reference {
  id: string;
}

/** Users belong to the user subgraph: this one hands out references it resolves. */
const userReference = (id: string) => ({ __typename: 'User' as const, id });

/** Thin: each field hands its arguments to the domain and returns what it answers. */
export const resolvers: GraphQLResolverMap<DataContext> = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,

  Query: {
    project: (_: unknown, { id }: { id: string }, ctx: Context) =>
      ctx.domain.projects.find(ctx, id),
    projects: (_: unknown, args: PageArgs & { filter?: ProjectFilter | null }, ctx: Context) =>
      ctx.domain.projects.list(ctx, args),
    document: (_: unknown, { id }: { id: string }, ctx: Context) =>
      ctx.domain.documents.find(ctx, id),
    documents: (
      _: unknown,
      { projectId, ...args }: DocumentListArgs & { projectId: string },
      ctx: Context,
    ) => ctx.domain.documents.list(ctx, projectId, args),
  },

  Mutation: {
    createProject: (_: unknown, { input }: { input: CreateProjectInput }, ctx: Context) =>
      ctx.domain.projects.create(ctx, input),
    addProjectMember: (
      _: unknown,
      { projectId, userId }: { projectId: string; userId: string },
      ctx: Context,
    ) => ctx.domain.projects.addMember(ctx, projectId, userId),
    createDocument: (_: unknown, { input }: { input: CreateDocumentInput }, ctx: Context) =>
      ctx.domain.documents.create(ctx, input),
    updateDocument: (
      _: unknown,
      args: { id: string; expectedVersion: number; patch: DocumentPatch },
      ctx: Context,
    ) => ctx.domain.documents.update(ctx, args.id, args.expectedVersion, args.patch),
    deleteDocument: (_: unknown, { id }: { id: string }, ctx: Context) =>
      ctx.domain.documents.delete(ctx, id),
  },

  User: {
    __resolveReference: ({ id }: Reference) => ({ id }),
    projects: (user: Reference, args: PageArgs, ctx: Context) =>
      ctx.domain.projects.listOfMember(ctx, user.id, args),
  },

  Project: {
    __resolveReference: ({ id }: Reference, ctx: Context) => ctx.domain.projects.find(ctx, id),
    id: (project: ProjectRecord) => project._id,
    owner: (project: ProjectRecord) => userReference(project.ownerId),
    members: (project: ProjectRecord) => project.memberIds.map(userReference),
    documents: (project: ProjectRecord, args: DocumentListArgs, ctx: Context) =>
      ctx.domain.documents.listOfProject(ctx, project, args),
  },

  Document: {
    __resolveReference: ({ id }: Reference, ctx: Context) => ctx.domain.documents.find(ctx, id),
    id: (document: DocumentRecord) => document._id,
    project: (document: DocumentRecord, _: unknown, ctx: Context) =>
      ctx.domain.documents.projectOf(ctx, document),
    body: (document: DocumentRecord) => documentBody(document),
    author: (document: DocumentRecord) => userReference(document.authorId),
  },
};
