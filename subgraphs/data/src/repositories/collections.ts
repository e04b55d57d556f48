import type { Collection, Db } from 'mongodb';
import type { DocumentRecord, ProjectRecord, VersionClaimRecord } from './records.js';

export interface DataCollections {
  projects: Collection<ProjectRecord>;
  documents: Collection<DocumentRecord>;
  projectVersions: Collection<VersionClaimRecord>;
  documentVersions: Collection<VersionClaimRecord>;
}

export function dataCollections(db: Db): DataCollections {
  return {
    projects: db.collection<ProjectRecord>('projects'),
    documents: db.collection<DocumentRecord>('documents'),
    projectVersions: db.collection<VersionClaimRecord>('project_versions'),
    documentVersions: db.collection<VersionClaimRecord>('document_versions'),
  };
}

/**
 * Creates the indexes every query relies on. createIndex is a no-op for an index that already
 * exists with the same keys and options, so this runs at every start-up.
 */
export async function ensureIndexes(collections: DataCollections): Promise<void> {
  await Promise.all([
    // A member's projects, newest first (projects a caller may see; User.projects).
    collections.projects.createIndex({ memberIds: 1, createdAt: -1, _id: -1 }),
    // Every project, newest first (administrators).
    collections.projects.createIndex({ createdAt: -1, _id: -1 }),
    // A project's documents, newest first.
    collections.documents.createIndex({ projectId: 1, createdAt: -1, _id: -1 }),
    collections.documents.createIndex({ tags: 1 }),
    // One writer per version: the unique index is the compare-and-set.
    collections.projectVersions.createIndex({ entityId: 1, version: 1 }, { unique: true }),
    collections.documentVersions.createIndex({ entityId: 1, version: 1 }, { unique: true }),
  ]);
}
