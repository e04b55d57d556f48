import { requireScope } from '@platform/identity';
import type { ProjectRecord } from '../repositories/index.js';
import { requireOwnerOrAdmin, requireVisible } from './access.js';
import { projectMemberAdded } from './events.js';
import type { DataRequest } from './request-scope.js';
import { foreignId } from './text-input.js';
import { retryingWrite, writeNextVersion } from './versioned-write.js';

/**
 * Makes `userId` a member of the project (owner or administrator only). Adding a member twice
 * changes nothing and emits nothing. Concurrent additions each claim the project's next version,
 * so none is lost even on FerretDB, where two `$addToSet`s on one document can overwrite each
 * other.
 */
export async function addProjectMember(
  request: DataRequest,
  projectId: string,
  userId: string,
): Promise<ProjectRecord> {
  const caller = requireScope(request.principal, 'write');
  const memberId = foreignId(userId, 'userId');
  const { projects, projectVersions } = request.repositories;

  const project = await retryingWrite(`Project ${projectId}`, async () => {
    const project = requireVisible(caller, await projects.findById(projectId), projectId);
    requireOwnerOrAdmin(caller, project);
    if (project.memberIds.includes(memberId)) return project;

    const event = projectMemberAdded(caller, project, memberId);
    const updated = await request.events.record(
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
  request.loaders.projects.clear(project._id).prime(project._id, project);
  return project;
}
