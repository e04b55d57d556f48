import type { Collection, Filter } from 'mongodb';
import { NEWEST_FIRST, olderThan, type CreationPosition } from './keyset.js';
import type { ProjectRecord } from './records.js';
import { findEachById } from './store-filters.js';
import type { StoreQuery } from './store-query.js';
import { containing } from './text-match.js';

/** Every project (administrators); a member's projects come from project-members.ts. */
export interface ProjectListQuery {
  nameContains?: string;
  after?: CreationPosition;
  limit: number;
}

export interface ProjectRepository {
  findById(id: string): Promise<ProjectRecord | null>;
  findByIds(ids: readonly string[]): Promise<ProjectRecord[]>;
  /** A page in keyset order (newest first). */
  list(query: ProjectListQuery): Promise<ProjectRecord[]>;
  insert(project: ProjectRecord): Promise<void>;
  /**
   * Moves the project to the next version without changing a field, if it is still at
   * `expectedVersion`; null otherwise. A change of its members (project-members.ts) does this.
   */
  nextVersion(id: string, expectedVersion: number): Promise<ProjectRecord | null>;
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

    list({ nameContains, after, limit }) {
      const filter: Filter<ProjectRecord> = {};
      if (nameContains) filter.name = containing(nameContains);
      if (after) Object.assign(filter, olderThan(after));
      return query(collection, 'find', () =>
        collection.find(filter).sort(NEWEST_FIRST).limit(limit).toArray(),
      );
    },

    async insert(project) {
      await query(collection, 'insertOne', () => collection.insertOne(project));
    },

    nextVersion: (id, expectedVersion) =>
      query(collection, 'findOneAndUpdate', () =>
        collection.findOneAndUpdate(
          { _id: id, version: expectedVersion },
          { $set: { version: expectedVersion + 1 } },
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
