import type { Counter } from 'prom-client';
import type { DataCollections } from './collections.js';
import { documentRepository, type DocumentRepository } from './documents.js';
import { projectRepository, type ProjectRepository } from './projects.js';
import { projectMemberRepository, type ProjectMemberRepository } from './project-members.js';
import { projectRosterRepository, type ProjectRosterRepository } from './project-rosters.js';
import { outboxRepository, type OutboxRepository } from './outbox.js';
import { countedStoreQuery } from './store-query.js';
import { versionClaims, type VersionClaims } from './version-claims.js';

export { dataCollections, ensureIndexes, type DataCollections } from './collections.js';
export type {
  ChangeCheck,
  ChangeIntentRecord,
  DocumentRecord,
  EntityCollection,
  LegacyProjectRecord,
  OutboxEntryRecord,
  ProjectMemberRecord,
  ProjectRecord,
  RosterBlockRecord,
  StoredEvent,
  StoredIntentRecord,
  StoredOutboxEntryRecord,
} from './records.js';
export type { DocumentChanges, DocumentRepository } from './documents.js';
export type { ProjectChanges, ProjectRepository } from './projects.js';
export { membershipId, type ProjectMemberRepository } from './project-members.js';
export {
  isRosterPosition,
  ROSTER_BLOCK,
  type ProjectRosterRepository,
  type RosterMember,
  type RosterPosition,
} from './project-rosters.js';
export { migrateMemberArrays } from './member-migration.js';
export { isRefusedWrite, type VersionClaims } from './version-claims.js';
export {
  STALE_INTENT_MS,
  eventOf,
  outboxStore,
  storedEvent,
  type OutboxRepository,
} from './outbox.js';
export { creationPosition, isCreationPosition, type CreationPosition } from './keyset.js';

/** Every store the domain uses; built once per process, shared by all requests. */
export interface Repositories {
  projects: ProjectRepository;
  projectMembers: ProjectMemberRepository;
  projectRosters: ProjectRosterRepository;
  documents: DocumentRepository;
  projectVersions: VersionClaims;
  documentVersions: VersionClaims;
  outbox: OutboxRepository;
}

export function createRepositories(
  collections: DataCollections,
  storeQueries: Counter<'collection' | 'operation'>,
): Repositories {
  const query = countedStoreQuery(storeQueries);
  return {
    projects: projectRepository(collections.projects, query),
    projectMembers: projectMemberRepository(collections.projectMembers, query),
    projectRosters: projectRosterRepository(collections.projectRosters, query),
    documents: documentRepository(collections.documents, query),
    projectVersions: versionClaims(collections.projectVersions, query),
    documentVersions: versionClaims(collections.documentVersions, query),
    outbox: outboxRepository(collections.changeIntents, collections.outbox, query),
  };
}
