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
