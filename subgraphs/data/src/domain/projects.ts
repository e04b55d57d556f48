import { randomUUID } from 'node:crypto';
import { requireScope } from '@platform/identity';
import type { Connection } from '@platform/pagination';
import type { ProjectRecord, Repositories } from '../repositories/index.js';
import { canSee, listableMembers, requireOwnerOrAdmin, requireVisible } from './access.js';
import { projectCreated, projectMemberAdded } from './events.js';
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

/** Projects and their members; who may see and change what is in access.ts. */
export function projectService(
  repositories: Repositories,
  outboxFor: (scope: RequestScope) => OutboxWriter,
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
        const updated = await outboxFor(scope).record(
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
              { userId: caller.userId, changeId: event.id },
              () => projects.addMember(project._id, project.version, memberId),
            ),
        );
        return updated ?? undefined;
      });
      scope.loaders.projects.clear(project._id).prime(project._id, project);
      return project;
    },
  };
}

export type ProjectService = ReturnType<typeof projectService>;
