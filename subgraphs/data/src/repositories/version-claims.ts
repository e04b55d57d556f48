import { MongoServerError, MongoWriteConcernError, type Collection } from 'mongodb';
import type { VersionClaimRecord } from './records.js';
import type { StoreQuery } from './store-query.js';

/**
 * Why versioned writes claim their version first.
 *
 * A conditional update such as
 * `findOneAndUpdate({ _id, version: n }, { $set, $inc: { version: 1 } })` is atomic on MongoDB
 * but not on FerretDB 1.x, the local stack: its PostgreSQL backend matches the filter in one
 * statement and writes the whole document back in another, by id alone
 * (`UPDATE ... SET _jsonb = $1 WHERE _id = $2`), so ten concurrent updates at version n can all
 * "succeed" and the last one wins (measured: up to 10 of 10). Concurrent `$addToSet`s on one array
 * lose elements the same way.
 *
 * A unique index, though, is enforced by PostgreSQL (and by MongoDB) itself. So before changing an
 * entity from version n to n + 1 a writer inserts `{ entityId, version: n + 1 }` into a claims
 * collection with a unique index on (entityId, version): exactly one writer gets the insert, the
 * others get duplicate key error 11000 and change nothing. Only the claimant then writes, still
 * with the version in the filter, which keeps real MongoDB exactly as safe. The claims that remain
 * form a ledger of who made each version and when; a claim's id is the id of the change's event,
 * so the ledger also tells which announced change made a version (see outbox.ts).
 *
 * A writer that dies between its claim and its write leaves a claim for a version that never
 * appeared; once the claim is older than CLAIM_LEASE_MS and the entity is still at the version
 * before it, the next writer removes it and claims again. A writer whose write the store refused
 * releases its claim at once; one that cannot tell whether its write happened (the connection
 * failed) keeps it, so the ledger never forgets a version that may exist.
 */
export const CLAIM_LEASE_MS = 30_000;

const DUPLICATE_KEY = 11000;

export interface VersionClaims {
  /** True when this caller now owns the change of `entityId` to `version`, as claim `claimId`. */
  claim(entityId: string, version: number, claimedBy: string, claimId: string): Promise<boolean>;
  /** The id of the claim on `version` of `entityId`, or null when nobody holds it. */
  holder(entityId: string, version: number): Promise<string | null>;
  /** Gives a claim back after the claimant could not write its version. */
  release(entityId: string, version: number): Promise<void>;
  /**
   * Removes a claim whose claimant has not written its version within the lease; the caller has
   * checked the entity is still at `version - 1`. True when such a claim was removed.
   */
  releaseAbandoned(entityId: string, version: number, now: Date): Promise<boolean>;
  /** Removes the ledger of a deleted entity. */
  forget(entityId: string): Promise<void>;
}

export function versionClaims(
  collection: Collection<VersionClaimRecord>,
  query: StoreQuery,
): VersionClaims {
  return {
    async claim(entityId, version, claimedBy, claimId) {
      try {
        await query(collection, 'insertOne', () =>
          collection.insertOne({
            _id: claimId,
            entityId,
            version,
            claimedBy,
            claimedAt: new Date(),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return false;
        throw error;
      }
    },

    async holder(entityId, version) {
      const claim = await query(collection, 'findOne', () =>
        collection.findOne({ entityId, version }, { projection: { _id: 1 } }),
      );
      return claim?._id ?? null;
    },

    async release(entityId, version) {
      await query(collection, 'deleteOne', () => collection.deleteOne({ entityId, version }));
    },

    async releaseAbandoned(entityId, version, now) {
      const expiredBefore = new Date(now.getTime() - CLAIM_LEASE_MS);
      const { deletedCount } = await query(collection, 'deleteOne', () =>
        collection.deleteOne({ entityId, version, claimedAt: { $lt: expiredBefore } }),
      );
      return deletedCount === 1;
    },

    async forget(entityId) {
      await query(collection, 'deleteMany', () => collection.deleteMany({ entityId }));
    },
  };
}

/**
 * True when the store answered a write with an error, so it certainly did not apply it. A network
 * failure or a write-concern error leaves it unknown whether the write happened.
 */
export function isRefusedWrite(error: unknown): boolean {
  return error instanceof MongoServerError && !(error instanceof MongoWriteConcernError);
}
