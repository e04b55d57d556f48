import { randomUUID } from 'node:crypto';
import { requireScope } from '@platform/identity';
import type { Connection } from '@platform/pagination';
import type { ProjectRecord } from '../repositories/index.js';
import { canSee, listableMembers } from './access.js';
import { projectCreated } from './events.js';
import { pageRequest, toPage, type PageArgs } from './pages.js';
import type { DataRequest } from './request-scope.js';
import { foreignId, optionalText, requiredText, searchText } from './text-input.js';

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

/** The project, or null when it does not exist or the caller may not see it. */
export async function findProject(request: DataRequest, id: string): Promise<ProjectRecord | null> {
  const caller = requireScope(request.principal, 'read');
  const project = await request.loaders.projects.load(id);
  return project && canSee(caller, project) ? project : null;
}

/** Projects the caller may see (all, for administrators), narrowed by the filter. */
export async function listProjects(
  request: DataRequest,
  args: PageArgs & { filter?: ProjectFilter | null },
): Promise<Connection<ProjectRecord>> {
  const caller = requireScope(request.principal, 'read');
  const memberId = args.filter?.memberId;
  const withMembers = listableMembers(caller);
  if (memberId !== null && memberId !== undefined) {
    withMembers.push(foreignId(memberId, 'filter.memberId'));
  }
  const nameContains = searchText(args.filter?.nameContains, 'filter.nameContains');
  return pageOfProjects(request, args, withMembers, nameContains);
}

/** Projects `userId` is a member of, among those the caller may see. */
export async function listMemberProjects(
  request: DataRequest,
  userId: string,
  args: PageArgs,
): Promise<Connection<ProjectRecord>> {
  const caller = requireScope(request.principal, 'read');
  return pageOfProjects(request, args, [...listableMembers(caller), userId]);
}

async function pageOfProjects(
  request: DataRequest,
  args: PageArgs,
  withMembers: string[],
  nameContains?: string,
): Promise<Connection<ProjectRecord>> {
  const page = pageRequest(args);
  const rows = await request.repositories.projects.list({
    withMembers: [...new Set(withMembers)],
    nameContains,
    after: page.after,
    limit: page.limit,
  });
  return toPage(rows, page);
}

/** A new project owned by the caller, who is its first member. */
export async function createProject(
  request: DataRequest,
  input: CreateProjectInput,
): Promise<ProjectRecord> {
  const caller = requireScope(request.principal, 'write');
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
  await request.events.record(
    projectCreated(caller, project),
    { kind: 'created', collection: 'projects', entityId: project._id },
    async () => {
      await request.repositories.projects.insert(project);
      return project;
    },
  );
  request.loaders.projects.prime(project._id, project);
  return project;
}
