import type { Collection, Filter } from 'mongodb';
import { NEWEST_FIRST, olderThan, type CreationPosition } from './keyset.js';
import type { DocumentRecord } from './records.js';
import { findEachById } from './store-filters.js';
import type { StoreQuery } from './store-query.js';
import { containing } from './text-match.js';

export interface DocumentListQuery {
  projectId: string;
  tag?: string;
  titleContains?: string;
  after?: CreationPosition;
  limit: number;
}

/** The fields an update may change. */
export type DocumentChanges = Partial<Pick<DocumentRecord, 'title' | 'bodyJson' | 'tags'>>;

export interface DocumentRepository {
  findById(id: string): Promise<DocumentRecord | null>;
  findByIds(ids: readonly string[]): Promise<DocumentRecord[]>;
  /** A page of one project's documents in keyset order (newest first). */
  list(query: DocumentListQuery): Promise<DocumentRecord[]>;
  /** One project's documents last changed at or after `from`, oldest change first. */
  changedSince(projectId: string, from: Date, limit: number): Promise<DocumentRecord[]>;
  insert(document: DocumentRecord): Promise<void>;
  /** Writes `changes` as the next version if the document is still at `expectedVersion`. */
  update(
    id: string,
    expectedVersion: number,
    changes: DocumentChanges,
    updatedAt: Date,
  ): Promise<DocumentRecord | null>;
  /** Deletes the document if it is still at `expectedVersion`; true when it did. */
  delete(id: string, expectedVersion: number): Promise<boolean>;
}

export function documentRepository(
  collection: Collection<DocumentRecord>,
  query: StoreQuery,
): DocumentRepository {
  const findById = (id: string) =>
    query(collection, 'findOne', () => collection.findOne({ _id: id }));
  return {
    findById,

    findByIds: (ids) => findEachById(ids, findById),

    // Equality on projectId (and tags) is what the store answers from an index; see store-filters.
    list({ projectId, tag, titleContains, after, limit }) {
      const filter: Filter<DocumentRecord> = { projectId };
      if (tag !== undefined) filter.tags = tag;
      if (titleContains) filter.title = containing(titleContains);
      if (after) Object.assign(filter, olderThan(after));
      return query(collection, 'find', () =>
        collection.find(filter).sort(NEWEST_FIRST).limit(limit).toArray(),
      );
    },

    changedSince: (projectId, from, limit) =>
      query(collection, 'find', () =>
        collection
          .find({ projectId, updatedAt: { $gte: from } })
          .sort({ updatedAt: 1, _id: 1 })
          .limit(limit)
          .toArray(),
      ),

    async insert(document) {
      await query(collection, 'insertOne', () => collection.insertOne(document));
    },

    update: (id, expectedVersion, changes, updatedAt) =>
      query(collection, 'findOneAndUpdate', () =>
        collection.findOneAndUpdate(
          { _id: id, version: expectedVersion },
          { $set: { ...changes, version: expectedVersion + 1, updatedAt } },
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
