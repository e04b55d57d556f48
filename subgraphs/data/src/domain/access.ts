import { forbidden, notFound } from '@platform/errors';
import { isAdmin, type AuthenticatedPrincipal } from '@platform/identity';
import { membershipId, type ProjectRecord } from '../repositories/index.js';
import type { RequestScope } from './request-scope.js';

/**
 * Who may see and change what. Members see their projects and change their documents;
 * administrators see every project. A project the caller may not see is reported exactly like
 * one that does not exist, so ids reveal nothing. Memberships are rows of `project_members`,
 * looked up through the request's loader (one batch per request).
 */

export function isMember(
  scope: RequestScope,
  caller: AuthenticatedPrincipal,
  projectId: string,
): Promise<boolean> {
  return scope.loaders.memberships.load(membershipId(projectId, caller.userId));
}

export async function canSee(
  scope: RequestScope,
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
): Promise<boolean> {
  return isAdmin(caller) || (await isMember(scope, caller, project._id));
}

/** The members a project must have to appear in the caller's lists (none for administrators). */
export function listableMembers(caller: AuthenticatedPrincipal): string[] {
  return isAdmin(caller) ? [] : [caller.userId];
}

/** The project, when the caller may see it; NOT_FOUND otherwise. */
export async function requireVisible(
  scope: RequestScope,
  caller: AuthenticatedPrincipal,
  project: ProjectRecord | null,
  projectId: string,
): Promise<ProjectRecord> {
  if (!project || !(await canSee(scope, caller, project))) throw notFound('Project', projectId);
  return project;
}

/** Documents change only through members of their project, administrators included. */
export async function requireMember(
  scope: RequestScope,
  caller: AuthenticatedPrincipal,
  project: ProjectRecord,
): Promise<void> {
  if (!(await isMember(scope, caller, project._id))) {
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
