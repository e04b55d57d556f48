import { ErrorCode, platformError } from '@platform/errors';
import { isRefusedWrite, type VersionClaims } from '../repositories/index.js';

/**
 * Writes version `fromVersion + 1` of an entity when this caller wins the claim on that version
 * (see repositories/version-claims.ts for why a claim comes first). `write` must itself be
 * conditional on `fromVersion` and return null when it matched nothing. The claim carries
 * `changeId`, the id of the change's event, so the ledger tells which change made the version.
 *
 * Returns the written row, or null when another writer owns that version or the entity is no
 * longer at `fromVersion` (moved on or deleted); the caller re-reads to tell which.
 */
export async function writeNextVersion<Row>(
  claims: VersionClaims,
  entityId: string,
  fromVersion: number,
  claimant: { userId: string; changeId: string },
  write: () => Promise<Row | null>,
): Promise<Row | null> {
  const version = fromVersion + 1;
  const { userId, changeId } = claimant;
  if (!(await claims.claim(entityId, version, userId, changeId))) {
    // The caller has just seen the entity at fromVersion: a claim on the next version that has
    // outlived its lease belongs to a writer that died before writing, so it may be taken over.
    const abandoned = await claims.releaseAbandoned(entityId, version, new Date());
    if (!abandoned || !(await claims.claim(entityId, version, userId, changeId))) return null;
  }
  let written: Row | null;
  try {
    written = await write();
  } catch (error) {
    // Only a write the store refused certainly left no version behind; after any other failure
    // the claim stays, and is taken over after its lease if the version never appeared.
    if (isRefusedWrite(error)) await claims.release(entityId, version).catch(() => undefined);
    throw error;
  }
  if (written === null) await claims.release(entityId, version);
  return written;
}

/** Concurrent changes of one entity are serialized; each retry follows another's success. */
const MAX_ATTEMPTS = 25;
const RETRY_DELAY_MS = 10;

/**
 * Runs `attempt` until it returns a result: it reads the entity afresh, then tries to write its
 * next version, and returns undefined when another writer got there first. VERSION_CONFLICT when
 * the entity keeps changing under every attempt.
 */
export async function retryingWrite<Result>(
  entity: string,
  attempt: () => Promise<Result | undefined>,
): Promise<Result> {
  for (let attempts = 1; attempts <= MAX_ATTEMPTS; attempts++) {
    const result = await attempt();
    if (result !== undefined) return result;
    await delay(RETRY_DELAY_MS * (1 + Math.random() * attempts));
  }
  throw platformError(
    ErrorCode.VersionConflict,
    `${entity} is being changed by many requests at once; retry`,
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
