import { forbidden, notFound } from '@platform/errors';
import { isAdmin, type AuthenticatedPrincipal } from '@platform/identity';
import type { ProjectRecord } from '../repositories/index.js';

/**
 * Who may see and change what. Members see their projects and change their documents;
 * administrators see every project. A project the caller may not see is reported exactly like
 * one that does not exist, so ids reveal nothing.
 */

export function isMember(caller: AuthenticatedPrincipal, project: ProjectRecord): boolean {
  return project.memberIds.includes(caller.userId);
}

export function canSee(caller: AuthenticatedPrincipal, project: ProjectRecord): boolean {
  return isAdmin(caller) || isMember(caller, project);
}

/** The members a project must have to appear in the caller's lists (none for administrators). */
export function listableMembers(caller: AuthenticatedPrincipal): string[] {
  return isAdmin(caller) ? [] : [caller.userId];
}

/** The project, when the caller may see it; NOT_FOUND otherwise. */
export function requireVisible(
  caller: AuthenticatedPrincipal,
  project: ProjectRecord | null,
  projectId: string,
): ProjectRecord {
  if (!project || !canSee(caller, project)) throw notFound('Project', projectId);
  return project;
}

/** Documents change only through members of their project, administrators included. */
export function requireMember(caller: AuthenticatedPrincipal, project: ProjectRecord): void {
  if (!isMember(caller, project)) {
    throw forbidden('Only members of the project can change its documents');
  }
}

/** A project's members, name and existence are managed by its owner or an administrator. */
export function requireOwnerOrAdmin(
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
  action = 'add members',
): void {
  if (project.ownerId !== caller.userId && !isAdmin(caller)) {
    throw forbidden(`Only the owner of the project or an administrator can ${action}`);
  }
}
