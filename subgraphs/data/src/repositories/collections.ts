import type { Collection, Db } from 'mongodb';
import type {
  DocumentRecord,
  ProjectMemberRecord,
  ProjectRecord,
  RosterBlockRecord,
  StoredIntentRecord,
  StoredOutboxEntryRecord,
  VersionClaimRecord,
} from './records.js';

export interface DataCollections {
  projects: Collection<ProjectRecord>;
  projectMembers: Collection<ProjectMemberRecord>;
  projectRosters: Collection<RosterBlockRecord>;
  documents: Collection<DocumentRecord>;
  projectVersions: Collection<VersionClaimRecord>;
  documentVersions: Collection<VersionClaimRecord>;
  changeIntents: Collection<StoredIntentRecord>;
  outbox: Collection<StoredOutboxEntryRecord>;
}

export function dataCollections(db: Db): DataCollections {
  return {
    projects: db.collection<ProjectRecord>('projects'),
    projectMembers: db.collection<ProjectMemberRecord>('project_members'),
    projectRosters: db.collection<RosterBlockRecord>('project_rosters'),
    documents: db.collection<DocumentRecord>('documents'),
    projectVersions: db.collection<VersionClaimRecord>('project_versions'),
    documentVersions: db.collection<VersionClaimRecord>('document_versions'),
    changeIntents: db.collection<StoredIntentRecord>('outbox_intents'),
    outbox: db.collection<StoredOutboxEntryRecord>('outbox'),
  };
}

/**
 * Creates the indexes every query relies on. createIndex is a no-op for an index that already
 * exists with the same keys and options, so this runs at every start-up. Membership checks are
 * by `_id` (project-members.ts).
 */
export async function ensureIndexes(collections: DataCollections): Promise<void> {
  await Promise.all([
    // A user's projects, newest first (projects a caller may see; User.projects).
    collections.projectMembers.createIndex({ userId: 1, projectCreatedAt: -1, projectId: -1 }),
    // A deleted project's memberships.
    collections.projectMembers.createIndex({ projectId: 1 }),
    // A project's roster blocks (its members in join order: Project.members, events' recipients).
    collections.projectRosters.createIndex({ projectId: 1, block: 1 }),
    // Every project, newest first (administrators).
    collections.projects.createIndex({ createdAt: -1, _id: -1 }),
    // A project's documents, newest first.
    collections.documents.createIndex({ projectId: 1, createdAt: -1, _id: -1 }),
    collections.documents.createIndex({ tags: 1 }),
    // A project's documents in the order they changed (documentChangesSince).
    collections.documents.createIndex({ projectId: 1, updatedAt: 1, _id: 1 }),
    // One writer per version: the unique index is the compare-and-set.
    collections.projectVersions.createIndex({ entityId: 1, version: 1 }, { unique: true }),
    collections.documentVersions.createIndex({ entityId: 1, version: 1 }, { unique: true }),
    // Intents the reconciler resolves, oldest first; intents of one entity (before its deletion).
    collections.changeIntents.createIndex({ createdAt: 1, _id: 1 }),
    collections.changeIntents.createIndex({ 'check.entityId': 1 }),
    // Events the relay publishes, oldest first; published ones are swept after a day.
    collections.outbox.createIndex({ status: 1, createdAt: 1, _id: 1 }),
    collections.outbox.createIndex({ status: 1, publishedAt: 1 }),
    // The events about one entity (the reconciler, about deletions).
    collections.outbox.createIndex({ 'event.subject.id': 1 }),
  ]);
}
