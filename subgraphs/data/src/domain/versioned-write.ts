import type { VersionClaims } from '../repositories/index.js';

/**
 * Writes version `fromVersion + 1` of an entity when this caller wins the claim on that version
 * (see repositories/version-claims.ts for why a claim comes first). `write` must itself be
 * conditional on `fromVersion` and return null when it matched nothing.
 *
 * Returns the written row, or null when another writer owns that version or the entity is no
 * longer at `fromVersion` (moved on or deleted); the caller re-reads to tell which.
 */
export async function writeNextVersion<Row>(
  claims: VersionClaims,
  entityId: string,
  fromVersion: number,
  claimedBy: string,
  write: () => Promise<Row | null>,
): Promise<Row | null> {
  const version = fromVersion + 1;
  if (!(await claims.claim(entityId, version, claimedBy))) {
    // The caller has just seen the entity at fromVersion: a claim on the next version that has
    // outlived its lease belongs to a writer that died before writing, so it may be taken over.
    const abandoned = await claims.releaseAbandoned(entityId, version, new Date());
    if (!abandoned || !(await claims.claim(entityId, version, claimedBy))) return null;
  }
  let written: Row | null;
  try {
    written = await write();
  } catch (error) {
    await claims.release(entityId, version).catch(() => undefined);
    throw error;
  }
  if (written === null) await claims.release(entityId, version);
  return written;
}
