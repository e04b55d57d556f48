import {
  membershipId,
  type ChangeIntentRecord,
  type EntityCollection,
  type Repositories,
  type VersionClaims,
} from '../repositories/index.js';

/**
 * Whether the change an intent announced is visible in the store, judged from the store alone
 * (the reconciler uses it for intents whose writer is gone):
 *
 * - `created`: the entity exists (its id was new, so only this change can have made it);
 * - `versioned`: the entity reached the version, and the ledger's claim on that version carries
 *   the intent's id, so this change and not a competitor's made it;
 * - `deleted`: the entity is gone, the claim on the deleting version carries the intent's id, and
 *   no other deletion of it is enqueued.
 * - `membership`: the claim on the version carries the intent's id and the entity reached the
 *   version, or it is still at the version before and the member's row is as the change left it
 *   (the writer added or removed the row, then died before moving the project's version on: the
 *   membership is the change, the version only serializes changes; the next writer takes the
 *   abandoned claim over after its lease). (The deleter enqueues its event before it forgets the
 *   ledger; a later would-be deleter may then claim that version again, find nothing to delete
 *   and die before giving the claim back: the enqueued deletion tells its intent apart.)
 *
 * A deleted entity's ledger is forgotten once its deletion's event is enqueued, after the deleter
 * has enqueued every earlier change that was visible (OutboxWriter.settle): an intent about an
 * entity that is gone without a trace was not visible then, and cannot have become visible since.
 */
export async function changeHappened(
  repositories: Repositories,
  intent: ChangeIntentRecord,
): Promise<boolean> {
  const { check } = intent;
  const entity = await findEntity(repositories, check.collection, check.entityId);
  switch (check.kind) {
    case 'created':
      return entity !== null;
    case 'versioned':
      return (
        entity !== null &&
        entity.version >= check.version &&
        (await claimsOf(repositories, check.collection).holder(check.entityId, check.version)) ===
          intent._id
      );
    case 'membership': {
      if (entity === null) return false;
      const holder = await repositories.projectVersions.holder(check.entityId, check.version);
      if (holder !== intent._id) return false;
      if (entity.version >= check.version) return true;
      const [row] = await repositories.projectMembers.findByIds([
        membershipId(check.entityId, check.userId),
      ]);
      return (row !== undefined) === check.member;
    }
    case 'deleted':
      return (
        entity === null &&
        (await claimsOf(repositories, check.collection).holder(check.entityId, check.version)) ===
          intent._id &&
        !(await repositories.outbox.hasOtherEntry(check.entityId, intent.event.type, intent._id))
      );
  }
}

export function claimsOf(repositories: Repositories, collection: EntityCollection): VersionClaims {
  return collection === 'projects' ? repositories.projectVersions : repositories.documentVersions;
}

function findEntity(
  repositories: Repositories,
  collection: EntityCollection,
  id: string,
): Promise<{ version: number } | null> {
  return collection === 'projects'
    ? repositories.projects.findById(id)
    : repositories.documents.findById(id);
}
