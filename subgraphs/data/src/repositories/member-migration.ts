import { randomUUID } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import type { DataCollections } from './collections.js';
import { membershipId, type ProjectMemberRepository } from './project-members.js';
import { ROSTER_BLOCK } from './project-rosters.js';
import type { LegacyProjectRecord } from './records.js';
import type { VersionClaims } from './version-claims.js';

/** The index projects had on their `memberIds` array, which FerretDB refuses past 64 members. */
const LEGACY_MEMBER_INDEX = 'memberIds_1_createdAt_-1__id_-1';
const INDEX_NOT_FOUND = 27;
const NAMESPACE_NOT_FOUND = 26;
const DUPLICATE_KEY = 11000;

/**
 * Moves the members of projects stored before `project_members` existed out of their
 * `memberIds` array, at every start-up and idempotently: the memberships and the roster are
 * inserted (what exists is kept), then the array goes with the project's next version, claimed like any change
 * of it (version-claims.ts), so a concurrent change is never overwritten. A project whose claim
 * is taken keeps its array until the next start; its memberships are in place already. Then the
 * array's index is dropped.
 *
 * Members keep their order: the n-th member "joined" n milliseconds after the project was created.
 */
export async function migrateMemberArrays(
  collections: DataCollections,
  members: ProjectMemberRepository,
  projectVersions: VersionClaims,
): Promise<number> {
  const legacy = (await collections.projects
    .find({ memberIds: { $exists: true } })
    .toArray()) as LegacyProjectRecord[];
  for (const project of legacy) {
    const memberIds = project.memberIds ?? [];
    for (const [index, userId] of memberIds.entries()) {
      await members.insert({
        _id: membershipId(project._id, userId),
        projectId: project._id,
        userId,
        joinedAt: new Date(project.createdAt.getTime() + index),
        projectCreatedAt: project.createdAt,
      });
    }
    for (let block = 0; block * ROSTER_BLOCK < memberIds.length; block++) {
      const members = memberIds
        .slice(block * ROSTER_BLOCK, (block + 1) * ROSTER_BLOCK)
        .map((userId, index) => ({
          userId,
          joinedAt: new Date(project.createdAt.getTime() + block * ROSTER_BLOCK + index),
        }));
      await collections.projectRosters
        .insertOne({ _id: `${project._id}:${block}`, projectId: project._id, block, members })
        .catch((error: unknown) => {
          if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
        });
    }
    const version = project.version + 1;
    if (await projectVersions.claim(project._id, version, 'member-migration', randomUUID())) {
      const { modifiedCount } = await collections.projects.updateOne(
        { _id: project._id, version: project.version },
        { $unset: { memberIds: '' }, $set: { version } },
      );
      if (modifiedCount === 0) await projectVersions.release(project._id, version);
    }
  }
  await collections.projects.dropIndex(LEGACY_MEMBER_INDEX).catch((error: unknown) => {
    const absent =
      error instanceof MongoServerError &&
      (error.code === INDEX_NOT_FOUND || error.code === NAMESPACE_NOT_FOUND);
    if (!absent) throw error;
  });
  return legacy.length;
}
