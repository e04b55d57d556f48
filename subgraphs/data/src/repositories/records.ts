/** The shapes stored in MongoDB. Ids are strings the subgraph generates (UUIDs), not ObjectIds. */

export interface ProjectRecord {
  _id: string;
  name: string;
  description: string | null;
  ownerId: string;
  memberIds: string[];
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

/** Proof that one writer owns the change of an entity to `version` (see version-claims.ts). */
export interface VersionClaimRecord {
  _id: string;
  entityId: string;
  version: number;
  claimedBy: string;
  claimedAt: Date;
}
