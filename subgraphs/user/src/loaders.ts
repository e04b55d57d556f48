import DataLoader from 'dataloader';
import type { Counter } from 'prom-client';
import type { EntityTypeName, UserMetrics } from './metrics.js';
import type { Repositories } from './repositories/index.js';
import type { Membership } from './repositories/memberships.js';
import type { Organization } from './repositories/organizations.js';
import type { User } from './repositories/users.js';
import { isUuid } from './uuid.js';

/**
 * Per-request batching: every entity fetch of a request goes through these, so a request that
 * references 100 users sends one `WHERE id = ANY($1)` query. Created per request, so nothing is
 * cached across callers.
 */
export interface Loaders {
  user: DataLoader<string, User | null>;
  organization: DataLoader<string, Organization | null>;
  membershipsByUser: DataLoader<string, Membership[]>;
}

export function createLoaders(repositories: Repositories, metrics: UserMetrics): Loaders {
  const { referenceBatches } = metrics;
  return {
    user: entityLoader('User', referenceBatches, (ids) => repositories.users.findByIds(ids)),
    organization: entityLoader('Organization', referenceBatches, (ids) =>
      repositories.organizations.findByIds(ids),
    ),
    membershipsByUser: new DataLoader(async (userIds) => {
      const valid = distinctUuids(userIds);
      const memberships = valid.length ? await repositories.memberships.findByUserIds(valid) : [];
      const byUser = new Map<string, Membership[]>();
      for (const membership of memberships) {
        byUser.set(membership.userId, [...(byUser.get(membership.userId) ?? []), membership]);
      }
      return userIds.map((userId) => byUser.get(userId.toLowerCase()) ?? []);
    }),
  };
}

/** Loads entities by id in one query per batch; ids that are not uuids resolve to null unqueried. */
function entityLoader<Entity extends { id: string }>(
  type: EntityTypeName,
  batches: Counter<'type'>,
  findByIds: (ids: string[]) => Promise<Entity[]>,
): DataLoader<string, Entity | null> {
  return new DataLoader(async (keys) => {
    const ids = distinctUuids(keys);
    if (ids.length === 0) return keys.map(() => null);
    batches.inc({ type });
    const byId = new Map((await findByIds(ids)).map((entity) => [entity.id, entity]));
    return keys.map((key) => byId.get(key.toLowerCase()) ?? null);
  });
}

/** PostgreSQL prints uuids in lower case, so keys are compared in lower case. */
function distinctUuids(keys: readonly string[]): string[] {
  return [...new Set(keys.filter(isUuid).map((key) => key.toLowerCase()))];
}
