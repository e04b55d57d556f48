import type { Collection, Filter } from 'mongodb';
import { NEWEST_FIRST, olderThan, type CreationPosition } from './keyset.js';
import type { ProjectRecord } from './records.js';
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
  insert(project: ProjectRecord): Promise<void>;
  /** Adds a member if the project is still at `expectedVersion`; null otherwise. */
  addMember(id: string, expectedVersion: number, userId: string): Promise<ProjectRecord | null>;
}

export function projectRepository(
  collection: Collection<ProjectRecord>,
  query: StoreQuery,
): ProjectRepository {
  return {
    findById: (id) => query(collection, 'findOne', () => collection.findOne({ _id: id })),

    findByIds: (ids) =>
      query(collection, 'find', () => collection.find({ _id: { $in: [...ids] } }).toArray()),

    list({ withMembers, nameContains, after, limit }) {
      const conditions: Filter<ProjectRecord>[] = withMembers.map((memberId) => ({
        memberIds: memberId,
      }));
      if (nameContains) conditions.push({ name: containing(nameContains) });
      if (after) conditions.push(olderThan(after));
      const filter = conditions.length > 0 ? { $and: conditions } : {};
      return query(collection, 'find', () =>
        collection.find(filter).sort(NEWEST_FIRST).limit(limit).toArray(),
      );
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
  };
}
