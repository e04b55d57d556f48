import { ErrorCode, platformError } from '@platform/errors';
import { requireScope } from '@platform/identity';
import type { ProjectRecord } from '../repositories/index.js';
import { requireOwnerOrAdmin, requireVisible } from './access.js';
import type { DataRequest } from './request.js';
import { foreignId } from './text-input.js';
import { writeNextVersion } from './versioned-write.js';

/** Concurrent additions to one project are serialized; each retry follows another's success. */
const MAX_ATTEMPTS = 25;
const RETRY_DELAY_MS = 10;

/**
 * Makes `userId` a member of the project (owner or administrator only). Adding a member twice
 * changes nothing. Concurrent additions each claim the project's next version, so none is lost
 * even on FerretDB, where two `$addToSet`s on one document can overwrite each other.
 */
export async function addProjectMember(
  request: DataRequest,
  projectId: string,
  userId: string,
): Promise<ProjectRecord> {
  const caller = requireScope(request.principal, 'write');
  const memberId = foreignId(userId, 'userId');
  const { projects, projectVersions } = request.repositories;

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const project = requireVisible(caller, await projects.findById(projectId), projectId);
    requireOwnerOrAdmin(caller, project);
    if (project.memberIds.includes(memberId)) return remembered(request, project);

    const updated = await writeNextVersion(
      projectVersions,
      project._id,
      project.version,
      caller.userId,
      () => projects.addMember(project._id, project.version, memberId),
    );
    if (updated) return remembered(request, updated);
    await delay(RETRY_DELAY_MS * (1 + Math.random() * attempt));
  }
  throw platformError(
    ErrorCode.VersionConflict,
    `Project ${projectId} is being changed by many requests at once; retry`,
  );
}

function remembered(request: DataRequest, project: ProjectRecord): ProjectRecord {
  request.loaders.projects.clear(project._id).prime(project._id, project);
  return project;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
