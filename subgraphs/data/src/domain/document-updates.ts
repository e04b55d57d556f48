import { badUserInput, ErrorCode, notFound, platformError } from '@platform/errors';
import { requireScope } from '@platform/identity';
import type { DocumentRecord } from '../repositories/index.js';
import { canSee, requireMember } from './access.js';
import { documentUpdated } from './events.js';
import { documentChanges, type DocumentPatch } from './document-input.js';
import type { DataRequest } from './request-scope.js';
import { writeNextVersion } from './versioned-write.js';

/**
 * Optimistic concurrency: the patch applies only while the document is at `expectedVersion`, and
 * then the version grows by exactly one. Of several updates sent with the same version, exactly
 * one applies; the others get VERSION_CONFLICT with the version they should re-read.
 */
export async function updateDocument(
  request: DataRequest,
  id: string,
  expectedVersion: number,
  patch: DocumentPatch,
): Promise<DocumentRecord> {
  const caller = requireScope(request.principal, 'write');
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) {
    throw badUserInput('expectedVersion must be a version the document had', 'expectedVersion');
  }
  const changes = documentChanges(patch);
  const { documents, projects, documentVersions } = request.repositories;

  const document = await documents.findById(id);
  const project = document && (await projects.findById(document.projectId));
  if (!document || !project || !canSee(caller, project)) throw notFound('Document', id);
  requireMember(caller, project);
  if (document.version !== expectedVersion) throw versionConflict(id, document.version);

  const event = documentUpdated(caller, document, changes, project);
  const updated = await request.events.record(
    event,
    { kind: 'versioned', collection: 'documents', entityId: id, version: expectedVersion + 1 },
    () =>
      writeNextVersion(
        documentVersions,
        id,
        expectedVersion,
        { userId: caller.userId, changeId: event.id },
        () => documents.update(id, expectedVersion, changes, new Date()),
      ),
  );
  if (!updated) {
    const current = await documents.findById(id);
    if (!current) throw notFound('Document', id);
    throw versionConflict(id, current.version);
  }
  request.loaders.documents.clear(id).prime(id, updated);
  return updated;
}

function versionConflict(id: string, currentVersion: number) {
  return platformError(
    ErrorCode.VersionConflict,
    `Document ${id} was changed by another update; re-read it (version ${currentVersion}) and retry`,
    { currentVersion },
  );
}
