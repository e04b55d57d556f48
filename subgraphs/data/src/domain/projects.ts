import { randomUUID } from 'node:crypto';
import type { AnyEventEnvelope } from '@platform/events';
import { badUserInput, ErrorCode, platformError } from '@platform/errors';
import { requireScope } from '@platform/identity';
import type { Connection } from '@platform/pagination';
import type { ProjectChanges, ProjectRecord, Repositories } from '../repositories/index.js';
import type { DocumentService } from './documents.js';
import { canSee, listableMembers, requireOwnerOrAdmin, requireVisible } from './access.js';
import {
  projectCreated,
  projectDeleted,
  projectMemberAdded,
  projectMemberRemoved,
  projectUpdated,
} from './events.js';
import type { OutboxWriter } from './outbox-writer.js';
import { pageRequest, toPage, type PageArgs } from './pages.js';
import type { RequestScope } from './request-scope.js';
import { foreignId, optionalText, requiredText, searchText } from './input.js';
import { retryingWrite, writeNextVersion } from './versioned-write.js';

export const MAX_PROJECT_NAME_LENGTH = 200;
export const MAX_PROJECT_DESCRIPTION_LENGTH = 5000;

export interface ProjectFilter {
  nameContains?: string | null;
  memberId?: string | null;
}

export interface CreateProjectInput {
  name: string;
  description?: string | null;
}

export interface UpdateProjectInput {
  name?: string | null;
  description?: string | null;
}

/** Projects and their members; who may see and change what is in access.ts. */
export function projectService(
  repositories: Repositories,
  outboxFor: (scope: RequestScope) => OutboxWriter,
  documents: DocumentService,
) {
  const { projects, projectVersions } = repositories;

  async function pageOfProjects(
    args: PageArgs,
    withMembers: string[],
    nameContains?: string,
  ): Promise<Connection<ProjectRecord>> {
    const page = pageRequest(args);
    const rows = await projects.list({
      withMembers: [...new Set(withMembers)],
      nameContains,
      after: page.after,
      limit: page.limit,
    });
    return toPage(rows, page);
  }

  /**
   * Records `event` in the outbox and writes the project's next version with `write`: the one way
   * every change of a project (members, name, description) is made.
   */
  function writeNextProjectVersion(
    scope: RequestScope,
    userId: string,
    project: ProjectRecord,
    event: AnyEventEnvelope,
    write: () => Promise<ProjectRecord | null>,
  ): Promise<ProjectRecord | null> {
    return outboxFor(scope).record(
      event,
      {
        kind: 'versioned',
        collection: 'projects',
        entityId: project._id,
        version: project.version + 1,
      },
      () =>
        writeNextVersion(
          projectVersions,
          project._id,
          project.version,
          { userId, changeId: event.id },
          write,
        ),
    );
  }

  return {
    /** The project, or null when it does not exist or the caller may not see it. */
    async find(scope: RequestScope, id: string): Promise<ProjectRecord | null> {
      const caller = requireScope(scope.principal, 'read');
      const project = await scope.loaders.projects.load(id);
      return project && canSee(caller, project) ? project : null;
    },

    /** Projects the caller may see (all, for administrators), narrowed by the filter. */
    async list(
      scope: RequestScope,
      args: PageArgs & { filter?: ProjectFilter | null },
    ): Promise<Connection<ProjectRecord>> {
      const caller = requireScope(scope.principal, 'read');
      const memberId = args.filter?.memberId;
      const withMembers = listableMembers(caller);
      if (memberId !== null && memberId !== undefined) {
        withMembers.push(foreignId(memberId, 'filter.memberId'));
      }
      const nameContains = searchText(args.filter?.nameContains, 'filter.nameContains');
      return pageOfProjects(args, withMembers, nameContains);
    },

    /** Projects `userId` is a member of, among those the caller may see. */
    async listOfMember(
      scope: RequestScope,
      userId: string,
      args: PageArgs,
    ): Promise<Connection<ProjectRecord>> {
      const caller = requireScope(scope.principal, 'read');
      return pageOfProjects(args, [...listableMembers(caller), userId]);
    },

    /**
     * Whether the caller is a member of a project `userId` is a member of, whether or not it
     * could see that user's projects otherwise: what the user subgraph's `User.email` requires
     * (its rule). Batched: the users of one request cost one store query. An anonymous caller
     * shares nothing; it never throws, so a reference the gateway resolves stays whole.
     */
    sharesAProjectWithCaller(
      { principal, loaders }: RequestScope,
      userId: string,
    ): Promise<boolean> {
      if (principal.kind === 'anonymous') return Promise.resolve(false);
      return loaders.sharesAProject.load({ viewerId: principal.userId, userId });
    },

    /** A new project owned by the caller, who is its first member. */
    async create(scope: RequestScope, input: CreateProjectInput): Promise<ProjectRecord> {
      const caller = requireScope(scope.principal, 'write');
      const project: ProjectRecord = {
        _id: randomUUID(),
        name: requiredText(input.name, 'input.name', MAX_PROJECT_NAME_LENGTH),
        description: optionalText(
          input.description,
          'input.description',
          MAX_PROJECT_DESCRIPTION_LENGTH,
        ),
        ownerId: caller.userId,
        memberIds: [caller.userId],
        createdAt: new Date(),
        version: 1,
      };
      await outboxFor(scope).record(
        projectCreated(caller, project),
        { kind: 'created', collection: 'projects', entityId: project._id },
        async () => {
          await projects.insert(project);
          return project;
        },
      );
      scope.loaders.projects.prime(project._id, project);
      return project;
    },

    /**
     * Makes `userId` a member of the project (owner or administrator only). Adding a member twice
     * changes nothing and emits nothing. Concurrent additions each claim the project's next
     * version, so none is lost even on FerretDB, where two `$addToSet`s on one document can
     * overwrite each other.
     */
    async addMember(
      scope: RequestScope,
      projectId: string,
      userId: string,
    ): Promise<ProjectRecord> {
      const caller = requireScope(scope.principal, 'write');
      const memberId = foreignId(userId, 'userId');

      const project = await retryingWrite(`Project ${projectId}`, async () => {
        const project = requireVisible(caller, await projects.findById(projectId), projectId);
        requireOwnerOrAdmin(caller, project);
        if (project.memberIds.includes(memberId)) return project;

        const event = projectMemberAdded(caller, project, memberId);
        const updated = await writeNextProjectVersion(scope, caller.userId, project, event, () =>
          projects.addMember(project._id, project.version, memberId),
        );
        return updated ?? undefined;
      });
      scope.loaders.projects.clear(project._id).prime(project._id, project);
      return project;
    },

    /** Changes the name or description (owner or administrator), as the project's next version. */
    async update(
      scope: RequestScope,
      projectId: string,
      input: UpdateProjectInput,
    ): Promise<ProjectRecord> {
      const caller = requireScope(scope.principal, 'write');
      const changes = projectChanges(input);
      const project = await retryingWrite(`Project ${projectId}`, async () => {
        const project = requireVisible(caller, await projects.findById(projectId), projectId);
        requireOwnerOrAdmin(caller, project, 'change it');
        const event = projectUpdated(caller, project, changes);
        if (event.data.changedFields.length === 0) return project;
        const updated = await writeNextProjectVersion(scope, caller.userId, project, event, () =>
          projects.update(project._id, project.version, changes),
        );
        return updated ?? undefined;
      });
      scope.loaders.projects.clear(project._id).prime(project._id, project);
      return project;
    },

    /**
     * Removes `userId` from the project: the owner or an administrator may remove anyone but the
     * owner (LAST_OWNER), and a member may remove themselves. Removing a non-member changes
     * nothing and emits nothing, as adding a member twice does.
     */
    async removeMember(
      scope: RequestScope,
      projectId: string,
      userId: string,
    ): Promise<ProjectRecord> {
      const caller = requireScope(scope.principal, 'write');
      const memberId = foreignId(userId, 'userId');
      const project = await retryingWrite(`Project ${projectId}`, async () => {
        const project = requireVisible(caller, await projects.findById(projectId), projectId);
        if (memberId !== caller.userId) requireOwnerOrAdmin(caller, project, 'remove members');
        if (memberId === project.ownerId) {
          // The owner is the project's only owner: removing them would leave it with none.
          throw platformError(
            ErrorCode.LastOwner,
            `${memberId} owns project ${projectId} and cannot be removed from it`,
            { argument: 'userId' },
          );
        }
        if (!project.memberIds.includes(memberId)) return project;

        const event = projectMemberRemoved(caller, project, memberId);
        const updated = await writeNextProjectVersion(scope, caller.userId, project, event, () =>
          projects.removeMember(project._id, project.version, memberId),
        );
        return updated ?? undefined;
      });
      scope.loaders.projects.clear(project._id).prime(project._id, project);
      return project;
    },

    /**
     * Deletes the project and its documents (owner or administrator); returns its id. Documents
     * go first, each with its own document.deleted, so consumers never see a deleted project that
     * still has documents; then the project takes its next version and goes, after enqueueing any
     * of its earlier changes' events still pending (as a document's deletion does). A document
     * created while this runs is deleted by the second pass.
     */
    async delete(scope: RequestScope, projectId: string): Promise<string> {
      const caller = requireScope(scope.principal, 'write');
      const found = requireVisible(caller, await projects.findById(projectId), projectId);
      requireOwnerOrAdmin(caller, found, 'delete it');
      await documents.deleteAllOf(scope, found);

      const outbox = outboxFor(scope);
      const deleted = await retryingWrite(`Project ${projectId}`, async () => {
        const project = await projects.findById(projectId);
        // Another deletion got there first; it published the project's deletion.
        if (!project) return found;
        const event = projectDeleted(caller, project);
        const gone = await outbox.record(
          event,
          {
            kind: 'deleted',
            collection: 'projects',
            entityId: projectId,
            version: project.version + 1,
          },
          () =>
            writeNextVersion(
              projectVersions,
              projectId,
              project.version,
              { userId: caller.userId, changeId: event.id },
              async () => {
                await outbox.settle('projects', projectId, event.id);
                return (await projects.delete(projectId, project.version)) ? project : null;
              },
            ),
        );
        return gone ?? undefined;
      });
      scope.loaders.projects.clear(projectId);
      await documents.deleteAllOf(scope, deleted);
      return projectId;
    },
  };
}

/** The changes an UpdateProjectInput asks for: omitted fields stay, a blank description clears. */
function projectChanges(input: UpdateProjectInput): ProjectChanges {
  const changes: ProjectChanges = {};
  if (input.name === null) throw badUserInput('input.name must not be null', 'input.name');
  if (input.name !== undefined) {
    changes.name = requiredText(input.name, 'input.name', MAX_PROJECT_NAME_LENGTH);
  }
  if (input.description !== undefined) {
    changes.description = optionalText(
      input.description,
      'input.description',
      MAX_PROJECT_DESCRIPTION_LENGTH,
    );
  }
  return changes;
}

export type ProjectService = ReturnType<typeof projectService>;
