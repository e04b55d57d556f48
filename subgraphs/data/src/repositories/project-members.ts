import { MongoServerError, type Collection, type Filter } from 'mongodb';
import type { CreationPosition } from './keyset.js';
import type { ProjectMemberRecord } from './records.js';
import { findEachById } from './store-filters.js';
import type { StoreQuery } from './store-query.js';

const DUPLICATE_KEY = 11000;

/** The id of `userId`'s membership of `projectId`: one row per pair, checked by one lookup. */
export const membershipId = (projectId: string, userId: string): string => `${projectId}:${userId}`;

export interface ProjectMemberRepository {
  /** The memberships among `ids` (see membershipId) that exist. */
  findByIds(ids: readonly string[]): Promise<ProjectMemberRecord[]>;
  /** Adds a membership; adding one that exists changes nothing. */
  insert(member: ProjectMemberRecord): Promise<void>;
  /** Removes a membership; true when it existed. */
  remove(projectId: string, userId: string): Promise<boolean>;
  /**
   * A page of the user's memberships, by their projects newest first: the keyset of the project
   * list, so a position is a project list cursor's.
   */
  listOfUser(
    userId: string,
    after: CreationPosition | undefined,
    limit: number,
  ): Promise<ProjectMemberRecord[]>;
  /** The ids of every project `userId` is a member of (their memberships, by index). */
  projectIdsOf(userId: string): Promise<string[]>;
  /** Removes every membership of a deleted project. */
  removeAllOf(projectId: string): Promise<void>;
}

export function projectMemberRepository(
  collection: Collection<ProjectMemberRecord>,
  query: StoreQuery,
): ProjectMemberRepository {
  const findById = (id: string) =>
    query(collection, 'findOne', () => collection.findOne({ _id: id }));
  return {
    findByIds: (ids) => findEachById(ids, findById),

    async insert(member) {
      try {
        await query(collection, 'insertOne', () => collection.insertOne(member));
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
    },

    async remove(projectId, userId) {
      const { deletedCount } = await query(collection, 'deleteOne', () =>
        collection.deleteOne({ _id: membershipId(projectId, userId) }),
      );
      return deletedCount === 1;
    },

    // Equality on the index's leading key first, the keyset as a separate operator (see
    // store-filters.ts).
    listOfUser(userId, after, limit) {
      const filter: Filter<ProjectMemberRecord> = { userId };
      if (after) {
        const projectCreatedAt = new Date(after.createdAt);
        filter.$or = [
          { projectCreatedAt: { $lt: projectCreatedAt } },
          { projectCreatedAt, projectId: { $lt: after.id } },
        ];
      }
      return query(collection, 'find', () =>
        collection
          .find(filter)
          .sort({ projectCreatedAt: -1, projectId: -1 })
          .limit(limit)
          .toArray(),
      );
    },

    projectIdsOf: async (userId) =>
      (
        await query(collection, 'find', () =>
          collection.find({ userId }, { projection: { projectId: 1 } }).toArray(),
        )
      ).map((row) => row.projectId),

    async removeAllOf(projectId) {
      await query(collection, 'deleteMany', () => collection.deleteMany({ projectId }));
    },
  };
}
