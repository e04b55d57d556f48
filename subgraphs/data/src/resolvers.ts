import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { subscriptionsViaGateway } from '@platform/subgraph-server';
import { changeCursor } from './domain/change-cursor.js';
import { documentBody } from './domain/document-input.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** Users belong to the user subgraph: this one hands out references it resolves. */
const userReference = (id: string) => ({ __typename: 'User' as const, id });

/**
 * Thin: each field hands its arguments to the domain and returns what it answers. Argument,
 * parent and context types come from the generated `Resolvers` (npm run codegen).
 */
export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  JSON: JSONResolver,

  Query: {
    project: (_, { id }, ctx) => ctx.domain.projects.find(ctx, id),
    projects: (_, args, ctx) => ctx.domain.projects.list(ctx, args),
    document: (_, { id }, ctx) => ctx.domain.documents.find(ctx, id),
    documents: (_, { projectId, ...args }, ctx) => ctx.domain.documents.list(ctx, projectId, args),
    documentChangesSince: (_, { projectId, since, first }, ctx) =>
      ctx.domain.documents.changesSince(ctx, projectId, since, first),
  },

  Mutation: {
    createProject: (_, { input }, ctx) => ctx.domain.projects.create(ctx, input),
    addProjectMember: (_, { projectId, userId }, ctx) =>
      ctx.domain.projects.addMember(ctx, projectId, userId),
    updateProject: (_, { id, input }, ctx) => ctx.domain.projects.update(ctx, id, input),
    deleteProject: (_, { id }, ctx) => ctx.domain.projects.delete(ctx, id),
    removeProjectMember: (_, { projectId, userId }, ctx) =>
      ctx.domain.projects.removeMember(ctx, projectId, userId),
    createDocument: (_, { input }, ctx) => ctx.domain.documents.create(ctx, input),
    updateDocument: (_, args, ctx) =>
      ctx.domain.documents.update(ctx, args.id, args.expectedVersion, args.patch),
    deleteDocument: (_, { id }, ctx) => ctx.domain.documents.delete(ctx, id),
  },

  // Served by the gateway from the project's Redis channel (schema.graphql, @live).
  Subscription: {
    documentChanged: { subscribe: subscriptionsViaGateway, resolve: subscriptionsViaGateway },
  },

  User: {
    __resolveReference: ({ id }) => ({ id }),
    projects: (user, args, ctx) => ctx.domain.projects.listOfMember(ctx, user.id, args),
    sharesProjectWithViewer: (user, _, ctx) =>
      ctx.domain.projects.sharesAProjectWithCaller(ctx, user.id),
  },

  Project: {
    __resolveReference: ({ id }, ctx) => ctx.domain.projects.find(ctx, id),
    id: (project) => project._id,
    owner: (project) => userReference(project.ownerId),
    members: (project) => project.memberIds.map(userReference),
    documents: (project, args, ctx) => ctx.domain.documents.listOfProject(ctx, project, args),
  },

  Document: {
    __resolveReference: ({ id }, ctx) => ctx.domain.documents.find(ctx, id),
    id: (document) => document._id,
    project: (document, _, ctx) => ctx.domain.documents.projectOf(ctx, document),
    body: (document) => documentBody(document),
    author: (document) => userReference(document.authorId),
    changeCursor: (document) => changeCursor(document),
  },
};
