import type { PageRequest } from './pages.js';
import type { Loaders } from '../loaders.js';
import { membershipId, type ProjectRecord, type Repositories } from '../repositories/index.js';

/** Memberships read per round when further members or a name narrow the first member's. */
const NARROWED_BATCH = 100;

/**
 * A page of the projects of `firstMember` (newest first) that also have every one of
 * `otherMembers` and whose name contains `nameContains`: the first member's memberships are read
 * in keyset order from their index, and each is kept when its project exists (a membership is
 * written before its project and removed after it) and passes the checks, which are lookups by
 * id batched through the request's loaders. Reads go on until the page is full or the memberships
 * run out.
 */
export async function pageOfMemberProjects(
  repositories: Repositories,
  loaders: Loaders,
  page: PageRequest,
  firstMember: string,
  otherMembers: string[],
  nameContains?: string,
): Promise<ProjectRecord[]> {
  const narrowed = otherMembers.length > 0 || nameContains !== undefined;
  const batch = narrowed ? Math.max(page.limit, NARROWED_BATCH) : page.limit;
  const needle = nameContains?.toLowerCase();
  const found: ProjectRecord[] = [];
  let after = page.after;
  for (;;) {
    const memberships = await repositories.projectMembers.listOfUser(firstMember, after, batch);
    const kept = await Promise.all(
      memberships.map(async ({ projectId }) => {
        const [project, others] = await Promise.all([
          loaders.projects.load(projectId),
          Promise.all(
            otherMembers.map((userId) => loaders.memberships.load(membershipId(projectId, userId))),
          ),
        ]);
        const keep =
          project !== null &&
          others.every(Boolean) &&
          (needle === undefined || project.name.toLowerCase().includes(needle));
        return keep ? project : null;
      }),
    );
    for (const project of kept) {
      if (project) found.push(project);
      if (found.length === page.limit) return found;
    }
    const last = memberships.at(-1);
    if (memberships.length < batch || !last) return found;
    after = { createdAt: last.projectCreatedAt.getTime(), id: last.projectId };
  }
}

/**
 * Those of `userIds` who are members of a project `viewerId` is a member of: the viewer's
 * memberships (one find by the indexed `userId`), then the roster of each of those projects (one
 * find by `projectId` each, 100 members a block), intersected with `userIds`. So a viewer in no
 * project costs one query however many users are asked about; FerretDB pushes no `$in` down, so
 * no single query could answer it from an index.
 */
export async function membersSharingAProjectWith(
  repositories: Repositories,
  viewerId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const wanted = new Set(userIds);
  const projectIds = await repositories.projectMembers.projectIdsOf(viewerId);
  const rosters = await Promise.all(
    projectIds.map((projectId) => repositories.projectRosters.userIdsOf(projectId)),
  );
  return new Set(rosters.flat().filter((userId) => wanted.has(userId)));
}
