import { createEvent } from '@platform/events';
import type { AuthenticatedPrincipal } from '@platform/identity';
import type {
  DocumentChanges,
  DocumentRecord,
  ProjectChanges,
  ProjectRecord,
} from '../repositories/index.js';

/**
 * The events of the data subgraph, built before their change is attempted from what the change
 * will make (createEvent validates them against the catalog). `memberIds` are the project's
 * members after the change, as the caller read them from `project_members`: the notification
 * subgraph finds its recipients there (at 10,000 members about 390 KB, within the broker's
 * 1 MiB; the relay sends each produce request under it, packages/events outbox-relay.ts). A mutation
 * writes its event to the outbox with outbox-writer.ts.
 */

const actor = (caller: AuthenticatedPrincipal) => ({ userId: caller.userId });
const projectSubject = (id: string) => ({ type: 'Project', id });
const documentSubject = (id: string) => ({ type: 'Document', id });

export function projectCreated(caller: AuthenticatedPrincipal, project: ProjectRecord) {
  return createEvent('project.created', {
    actor: actor(caller),
    subject: projectSubject(project._id),
    data: { name: project.name, ownerId: project.ownerId, memberIds: [project.ownerId] },
  });
}

/** `project` and its `memberIds` as they are before `userId` joins. */
export function projectMemberAdded(
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
  memberIds: string[],
  userId: string,
) {
  return createEvent('project.member_added', {
    actor: actor(caller),
    subject: projectSubject(project._id),
    data: { name: project.name, userId, memberIds: [...memberIds, userId] },
  });
}

/** `project` as it is before `changes` apply. */
export function projectUpdated(
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
  memberIds: string[],
  changes: ProjectChanges,
) {
  const changedFields: string[] = [];
  if (changes.name !== undefined && changes.name !== project.name) changedFields.push('name');
  if (changes.description !== undefined && changes.description !== project.description) {
    changedFields.push('description');
  }
  return createEvent('project.updated', {
    actor: actor(caller),
    subject: projectSubject(project._id),
    data: { name: changes.name ?? project.name, changedFields, memberIds },
  });
}

/** `project` and its `memberIds` as they are before `userId` leaves. */
export function projectMemberRemoved(
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
  memberIds: string[],
  userId: string,
) {
  return createEvent('project.member_removed', {
    actor: actor(caller),
    subject: projectSubject(project._id),
    data: {
      name: project.name,
      userId,
      memberIds: memberIds.filter((memberId) => memberId !== userId),
    },
  });
}

export function projectDeleted(
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
  memberIds: string[],
) {
  return createEvent('project.deleted', {
    actor: actor(caller),
    subject: projectSubject(project._id),
    data: { name: project.name, ownerId: project.ownerId, memberIds },
  });
}

export function documentCreated(
  caller: AuthenticatedPrincipal,
  document: DocumentRecord,
  project: ProjectRecord,
  memberIds: string[],
) {
  return createEvent('document.created', {
    actor: actor(caller),
    subject: documentSubject(document._id),
    data: {
      projectId: project._id,
      title: document.title,
      version: document.version,
      memberIds,
    },
  });
}

/** `document` as it is before `changes` apply; the update makes its next version. */
export function documentUpdated(
  caller: AuthenticatedPrincipal,
  document: DocumentRecord,
  changes: DocumentChanges,
  project: ProjectRecord,
  memberIds: string[],
) {
  return createEvent('document.updated', {
    actor: actor(caller),
    subject: documentSubject(document._id),
    data: {
      projectId: project._id,
      title: changes.title ?? document.title,
      version: document.version + 1,
      changedFields: changedFields(document, changes),
      memberIds,
    },
  });
}

/** `withProject`: the document goes because its project is being deleted. */
export function documentDeleted(
  caller: AuthenticatedPrincipal,
  document: DocumentRecord,
  project: ProjectRecord,
  memberIds: string[],
  withProject = false,
) {
  return createEvent('document.deleted', {
    actor: actor(caller),
    subject: documentSubject(document._id),
    data: {
      projectId: project._id,
      title: document.title,
      memberIds,
      ...(withProject ? { withProject } : {}),
    },
  });
}

/** The API fields whose values the changes alter, in schema order. */
function changedFields(document: DocumentRecord, changes: DocumentChanges): string[] {
  const fields: string[] = [];
  if (changes.title !== undefined && changes.title !== document.title) fields.push('title');
  if (changes.bodyJson !== undefined && changes.bodyJson !== document.bodyJson) {
    fields.push('body');
  }
  if (changes.tags !== undefined && !sameList(changes.tags, document.tags)) fields.push('tags');
  return fields;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
