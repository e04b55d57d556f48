import type { Collection, Filter } from 'mongodb';
import { NEWEST_FIRST, olderThan, type CreationPosition } from './keyset.js';
import type { ProjectRecord } from './records.js';
import { findEachById } from './store-filters.js';
import type { StoreQuery } from './store-query.js';
import { containing } from './text-match.js';

export interface ProjectListQuery {
  /** Only projects that have every one of these members (none: every project). */
  withMembers: string[];
  nameContains?: string;
  after?: CreationPosition;
  limit: number;
}

export interface ProjectRepository {
  findById(id: string): Promise<ProjectRecord | null>;
  findByIds(ids: readonly string[]): Promise<ProjectRecord[]>;
  /** A page in keyset order (newest first). */
  list(query: ProjectListQuery): Promise<ProjectRecord[]>;
  /** Those of `userIds` who are members of a project `viewerId` is a member of (one query). */
  membersSharingAProjectWith(viewerId: string, userIds: readonly string[]): Promise<Set<string>>;
  insert(project: ProjectRecord): Promise<void>;
  /** Adds a member if the project is still at `expectedVersion`; null otherwise. */
  addMember(id: string, expectedVersion: number, userId: string): Promise<ProjectRecord | null>;
  /** Removes a member if the project is still at `expectedVersion`; null otherwise. */
  removeMember(id: string, expectedVersion: number, userId: string): Promise<ProjectRecord | null>;
  /** Writes `changes` as the next version if the project is still at `expectedVersion`. */
  update(
    id: string,
    expectedVersion: number,
    changes: ProjectChanges,
  ): Promise<ProjectRecord | null>;
  /** Deletes the project if it is still at `expectedVersion`; true when it did. */
  delete(id: string, expectedVersion: number): Promise<boolean>;
}

/** The fields updateProject may change. */
export type ProjectChanges = Partial<Pick<ProjectRecord, 'name' | 'description'>>;

export function projectRepository(
  collection: Collection<ProjectRecord>,
  query: StoreQuery,
): ProjectRepository {
  const findById = (id: string) =>
    query(collection, 'findOne', () => collection.findOne({ _id: id }));
  return {
    findById,

    findByIds: (ids) => findEachById(ids, findById),

    // Equality on one member is what the store answers from an index (see store-filters); further
    // members narrow that member's projects. No member (administrators): every project is read.
    list({ withMembers: [firstMember, ...otherMembers], nameContains, after, limit }) {
      const filter: Filter<ProjectRecord> = {};
      if (firstMember !== undefined) filter.memberIds = firstMember;
      if (otherMembers.length > 0)
        filter.$and = otherMembers.map((memberId) => ({ memberIds: memberId }));
      if (nameContains) filter.name = containing(nameContains);
      if (after) Object.assign(filter, olderThan(after));
      return query(collection, 'find', () =>
        collection.find(filter).sort(NEWEST_FIRST).limit(limit).toArray(),
      );
    },

    // The viewer's projects come from the indexed equality on memberIds; the `$in` only narrows
    // them (store-filters.ts), and the members are read back to tell which users matched.
    async membersSharingAProjectWith(viewerId, userIds) {
      const wanted = new Set(userIds);
      const rows = await query(collection, 'find', () =>
        collection
          .find(
            { memberIds: viewerId, $and: [{ memberIds: { $in: [...wanted] } }] },
            { projection: { memberIds: 1 } },
          )
          .toArray(),
      );
      return new Set(rows.flatMap((row) => row.memberIds.filter((id) => wanted.has(id))));
    },

    async insert(project) {
      await query(collection, 'insertOne', () => collection.insertOne(project));
    },

    addMember: (id, expectedVersion, userId) =>
      query(collection, 'findOneAndUpdate', () =>
        collection.findOneAndUpdate(
          { _id: id, version: expectedVersion },
          { $addToSet: { memberIds: userId }, $set: { version: expectedVersion + 1 } },
          { returnDocument: 'after' },
        ),
      ),

    removeMember: (id, expectedVersion, userId) =>
      query(collection, 'findOneAndUpdate', () =>
        collection.findOneAndUpdate(
          { _id: id, version: expectedVersion },
          { $pull: { memberIds: userId }, $set: { version: expectedVersion + 1 } },
          { returnDocument: 'after' },
        ),
      ),

    update: (id, expectedVersion, changes) =>
      query(collection, 'findOneAndUpdate', () =>
        collection.findOneAndUpdate(
          { _id: id, version: expectedVersion },
          { $set: { ...changes, version: expectedVersion + 1 } },
          { returnDocument: 'after' },
        ),
      ),

    async delete(id, expectedVersion) {
      const { deletedCount } = await query(collection, 'deleteOne', () =>
        collection.deleteOne({ _id: id, version: expectedVersion }),
      );
      return deletedCount === 1;
    },
  };
}
