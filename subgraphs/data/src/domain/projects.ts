import { randomUUID } from 'node:crypto';
import type { AnyEventEnvelope } from '@platform/events';
import { badUserInput, ErrorCode, platformError } from '@platform/errors';
import { requireScope } from '@platform/identity';
import { decodeCursor, pageSize, toConnection, type Connection } from '@platform/pagination';
import {
  isRosterPosition,
  membershipId,
  type ProjectChanges,
  type ProjectMemberRecord,
  type ProjectRecord,
  type Repositories,
  type RosterMember,
} from '../repositories/index.js';
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
import { pageOfMemberProjects } from './member-projects.js';
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
  const { projects, projectMembers, projectRosters, projectVersions } = repositories;

  /**
   * The project's roster as read now, and whether `userId` is on it and has a membership row.
   * Member changes write both (row and roster) under the project's next version claim; a writer
   * that died between the two left them apart, and the next change of that member mends them.
   */
  async function memberState(projectId: string, userId: string) {
    const [blocks, rows] = await Promise.all([
      projectRosters.blocksOf(projectId),
      projectMembers.findByIds([membershipId(projectId, userId)]),
    ]);
    const memberIds = blocks.flatMap((block) => block.members.map((member) => member.userId));
    return { blocks, memberIds, listed: memberIds.includes(userId), hasRow: rows.length > 0 };
  }

  /** Projects that have every one of `withMembers` (none: every project), newest first. */
  async function pageOfProjects(
    scope: RequestScope,
    args: PageArgs,
    withMembers: string[],
    nameContains?: string,
  ): Promise<Connection<ProjectRecord>> {
    const page = pageRequest(args);
    const [firstMember, ...otherMembers] = [...new Set(withMembers)];
    const rows =
      firstMember === undefined
        ? await projects.list({ nameContains, after: page.after, limit: page.limit })
        : await pageOfMemberProjects(
            repositories,
            scope.loaders,
            page,
            firstMember,
            otherMembers,
            nameContains,
          );
    return toPage(rows, page);
  }

  /**
   * Adds (`member`) or removes `userId` under the claim on the project's next version, so member
   * changes are serialized as every change of the project is: `write` changes the membership row
   * and the roster, and then the project's version moves on. The reconciler tells from the claim
   * and the row whether a writer that died did it (change-visibility.ts).
   */
  function writeMembership(
    scope: RequestScope,
    userId: string,
    project: ProjectRecord,
    event: AnyEventEnvelope,
    change: { userId: string; member: boolean },
    write: () => Promise<unknown>,
  ): Promise<ProjectRecord | null> {
    return outboxFor(scope).record(
      event,
      {
        kind: 'membership',
        collection: 'projects',
        entityId: project._id,
        version: project.version + 1,
        ...change,
      },
      () =>
        writeNextVersion(
          projectVersions,
          project._id,
          project.version,
          { userId, changeId: event.id },
          async () => {
            await write();
            return projects.nextVersion(project._id, project.version);
          },
        ),
    );
  }

  /**
   * Records `event` in the outbox and writes the project's next version with `write`: the one way
   * every change of a project's name or description is made (members: writeMembership).
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
      return project && (await canSee(scope, caller, project)) ? project : null;
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
      return pageOfProjects(scope, args, withMembers, nameContains);
    },

    /** Projects `userId` is a member of, among those the caller may see. */
    async listOfMember(
      scope: RequestScope,
      userId: string,
      args: PageArgs,
    ): Promise<Connection<ProjectRecord>> {
      const caller = requireScope(scope.principal, 'read');
      return pageOfProjects(scope, args, [...listableMembers(caller), userId]);
    },

    /**
     * Project.members: a page of the members of a project already resolved for the caller (as a
     * mutation's answer too, so a write-only key reads the ids it just changed, as before).
     */
    async members(project: ProjectRecord, args: PageArgs): Promise<Connection<RosterMember>> {
      const size = pageSize(args.first);
      const after = decodeCursor(args.after, isRosterPosition);
      const rows = await projectRosters.page(project._id, after, size + 1);
      return toConnection(rows, size, (member) => member.position);
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
        createdAt: new Date(),
        version: 1,
      };
      await outboxFor(scope).record(
        projectCreated(caller, project),
        { kind: 'created', collection: 'projects', entityId: project._id },
        async () => {
          // The membership first: without its project it is never read (member-projects.ts).
          await projectMembers.insert(membershipOf(project, caller.userId, project.createdAt));
          await projectRosters.append(project._id, [], {
            userId: caller.userId,
            joinedAt: project.createdAt,
          });
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
     * version, so each event names exactly the members after its change.
     */
    async addMember(
      scope: RequestScope,
      projectId: string,
      userId: string,
    ): Promise<ProjectRecord> {
      const caller = requireScope(scope.principal, 'write');
      const memberId = foreignId(userId, 'userId');

      const project = await retryingWrite(`Project ${projectId}`, async () => {
        const found = await projects.findById(projectId);
        const project = await requireVisible(scope, caller, found, projectId);
        requireOwnerOrAdmin(caller, project);
        const { blocks, memberIds, listed, hasRow } = await memberState(project._id, memberId);
        if (listed && hasRow) return project;

        const others = memberIds.filter((id) => id !== memberId);
        const event = projectMemberAdded(caller, project, others, memberId);
        const membership = membershipOf(project, memberId, new Date());
        const updated = await writeMembership(
          scope,
          caller.userId,
          project,
          event,
          { userId: memberId, member: true },
          async () => {
            if (!listed) {
              await projectRosters.append(project._id, blocks, {
                userId: memberId,
                joinedAt: membership.joinedAt,
              });
            }
            await projectMembers.insert(membership);
          },
        );
        return updated ?? undefined;
      });
      scope.loaders.memberships.clear(membershipId(project._id, memberId));
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
        const found = await projects.findById(projectId);
        const project = await requireVisible(scope, caller, found, projectId);
        requireOwnerOrAdmin(caller, project, 'change it');
        const memberIds = await projectRosters.userIdsOf(project._id);
        const event = projectUpdated(caller, project, memberIds, changes);
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
        const found = await projects.findById(projectId);
        const project = await requireVisible(scope, caller, found, projectId);
        if (memberId !== caller.userId) requireOwnerOrAdmin(caller, project, 'remove members');
        if (memberId === project.ownerId) {
          // The owner is the project's only owner: removing them would leave it with none.
          throw platformError(
            ErrorCode.LastOwner,
            `${memberId} owns project ${projectId} and cannot be removed from it`,
            { argument: 'userId' },
          );
        }
        const { blocks, memberIds, listed, hasRow } = await memberState(project._id, memberId);
        if (!listed && !hasRow) return project;

        const event = projectMemberRemoved(caller, project, memberIds, memberId);
        const updated = await writeMembership(
          scope,
          caller.userId,
          project,
          event,
          { userId: memberId, member: false },
          async () => {
            await projectMembers.remove(project._id, memberId);
            await projectRosters.remove(blocks, memberId);
          },
        );
        return updated ?? undefined;
      });
      scope.loaders.memberships.clear(membershipId(project._id, memberId));
      scope.loaders.projects.clear(project._id).prime(project._id, project);
      return project;
    },

    /**
     * Deletes the project and its documents (owner or administrator); returns its id. Documents
     * go first, each with its own document.deleted, so consumers never see a deleted project that
     * still has documents; then the project takes its next version and goes, after enqueueing any
     * of its earlier changes' events still pending (as a document's deletion does). A document
     * created while this runs is deleted by the second pass. Its memberships go last.
     */
    async delete(scope: RequestScope, projectId: string): Promise<string> {
      const caller = requireScope(scope.principal, 'write');
      const found = await requireVisible(
        scope,
        caller,
        await projects.findById(projectId),
        projectId,
      );
      requireOwnerOrAdmin(caller, found, 'delete it');
      const membersBefore = await projectRosters.userIdsOf(projectId);
      await documents.deleteAllOf(scope, found, membersBefore);

      const outbox = outboxFor(scope);
      const deleted = await retryingWrite(`Project ${projectId}`, async () => {
        const project = await projects.findById(projectId);
        // Another deletion got there first; it published the project's deletion.
        if (!project) return { project: found, memberIds: membersBefore };
        const memberIds = await projectRosters.userIdsOf(projectId);
        const event = projectDeleted(caller, project, memberIds);
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
        return gone ? { project: gone, memberIds } : undefined;
      });
      scope.loaders.projects.clear(projectId);
      await documents.deleteAllOf(scope, deleted.project, deleted.memberIds);
      // A membership whose project is gone is never read; these go only to free the space.
      await projectMembers.removeAllOf(projectId);
      await projectRosters.removeAllOf(projectId);
      return projectId;
    },
  };
}

function membershipOf(project: ProjectRecord, userId: string, joinedAt: Date): ProjectMemberRecord {
  return {
    _id: membershipId(project._id, userId),
    projectId: project._id,
    userId,
    joinedAt,
    projectCreatedAt: project.createdAt,
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
