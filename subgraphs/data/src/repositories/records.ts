import type { AnyEventEnvelope } from '@platform/events';
import type { TraceCarrier } from '@platform/telemetry';

/** The shapes stored in MongoDB. Ids are strings the subgraph generates (UUIDs), not ObjectIds. */

export interface ProjectRecord {
  _id: string;
  name: string;
  description: string | null;
  ownerId: string;
  createdAt: Date;
  /** Starts at 1 and grows with every change; changes are serialized by `project_versions`. */
  version: number;
}

export interface DocumentRecord {
  _id: string;
  projectId: string;
  title: string;
  /**
   * The body as JSON text, or null for no body. A body is any JSON value, but FerretDB 1.x refuses
   * nested arrays and both stores refuse object keys that start with `$` or contain `.`, so the
   * value is stored serialized; nothing queries inside it.
   */
  bodyJson: string | null;
  tags: string[];
  authorId: string;
  /** Starts at 1 and grows by one with every update; see version-claims.ts. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Projects stored before `project_members` existed kept their members in the project document;
 * the start-up migration (member-migration.ts) moves them out and removes the field.
 */
export interface LegacyProjectRecord extends ProjectRecord {
  memberIds?: string[];
}

/**
 * One member of one project (`project_members`): a row per membership, so a project's members
 * are never one indexed value (FerretDB indexes an array as one btree row, at most 2,704 bytes:
 * 64 members). `_id` is `projectId:userId`, so a membership exists at most once and is checked
 * by one lookup. `projectCreatedAt` is the project's, for a user's projects newest first.
 */
export interface ProjectMemberRecord {
  _id: string;
  projectId: string;
  userId: string;
  joinedAt: Date;
  projectCreatedAt: Date;
}

/**
 * A block of a project's member list in join order (`project_rosters`, `_id` `projectId:block`,
 * blocks numbered from 0): what Project.members pages and events name as recipients. Reading
 * 10,000 membership rows takes FerretDB seconds (it decodes every row, and sorts none in SQL);
 * a hundred blocks of ROSTER_BLOCK members take milliseconds. Nothing indexes `members`. Only the
 * writer holding the project's next version claim changes a block (project-rosters.ts).
 */
export interface RosterBlockRecord {
  _id: string;
  projectId: string;
  block: number;
  members: Array<{ userId: string; joinedAt: Date }>;
}

/** Proof that one writer owns the change of an entity to `version` (see version-claims.ts). */
export interface VersionClaimRecord {
  _id: string;
  entityId: string;
  version: number;
  claimedBy: string;
  claimedAt: Date;
}

/** The collections whose entities change events are about. */
export type EntityCollection = 'projects' | 'documents';

/**
 * How to tell from the store alone whether the change an intent announces happened (see
 * outbox.ts): the entity exists (`created`), it reached `version` through the claim that carries
 * the intent's id (`versioned`), or it is gone after that claim (`deleted`). `membership`: a
 * member added or removed under the claim on `version` (see change-visibility.ts).
 */
export type ChangeCheck =
  | { kind: 'created'; collection: EntityCollection; entityId: string }
  | { kind: 'versioned'; collection: EntityCollection; entityId: string; version: number }
  | {
      kind: 'membership';
      collection: 'projects';
      entityId: string;
      version: number;
      userId: string;
      /** True for a member added, false for one removed. */
      member: boolean;
    }
  | { kind: 'deleted'; collection: EntityCollection; entityId: string; version: number };

/** A change about to be attempted, with the event it will publish if it happens. */
export interface ChangeIntentRecord {
  /** The event's id, which is also the id of the version claim the change takes. */
  _id: string;
  event: AnyEventEnvelope;
  check: ChangeCheck;
  createdAt: Date;
  /** The trace context of the request that made the change (outbox.ts sets it on insert). */
  traceContext?: TraceCarrier;
}

/**
 * An event as the outbox collections store it: its `data` as JSON text. FerretDB 1.x converts a
 * document element by element on every write and read: an event naming the 10,000 members of a
 * project took 440 ms to insert with `memberIds` as an array, 92 ms as text (and a mutation writes
 * it twice, intent and entry). Entries written before this keep `data` as it was; reading takes
 * both (outbox.ts).
 */
export type StoredEvent =
  (Omit<AnyEventEnvelope, 'data'> & { dataJson: string }) | AnyEventEnvelope;

export interface StoredIntentRecord extends Omit<ChangeIntentRecord, 'event'> {
  event: StoredEvent;
}

export interface StoredOutboxEntryRecord extends Omit<OutboxEntryRecord, 'event'> {
  event: StoredEvent;
}

/**
 * An event whose change happened: `ready` to publish, then `published`; `rejected` when it is not
 * a valid event (kept for inspection, never sent).
 */
export interface OutboxEntryRecord {
  _id: string;
  event: AnyEventEnvelope;
  status: 'ready' | 'published' | 'rejected';
  createdAt: Date;
  publishedAt?: Date;
  /** The trace context of the request that made the change: the relay's message continues it. */
  traceContext?: TraceCarrier;
}
