import { z } from 'zod';

/**
 * Every event the platform emits, by type: the aggregate (and so the topic) it belongs to and the
 * schema of its `data`. Producers and consumers validate against this one catalog. A change to a
 * data schema that is not backwards compatible gets a new schemaVersion.
 */
const id = z.string().min(1);
const memberIds = z.array(id);

export const eventCatalog = {
  'user.signed_up': {
    aggregate: 'user',
    data: z.object({ email: z.string(), name: z.string() }),
  },
  'user.api_key_created': {
    aggregate: 'user',
    data: z.object({ apiKeyId: id, name: z.string(), scopes: z.array(z.string()) }),
  },
  'user.api_key_revoked': {
    aggregate: 'user',
    data: z.object({ apiKeyId: id }),
  },
  'organization.created': {
    aggregate: 'organization',
    data: z.object({ name: z.string(), ownerId: id }),
  },
  'organization.member_added': {
    aggregate: 'organization',
    data: z.object({ userId: id, role: z.string() }),
  },
  'project.created': {
    aggregate: 'project',
    data: z.object({ name: z.string(), ownerId: id, memberIds }),
  },
  'project.member_added': {
    aggregate: 'project',
    data: z.object({ name: z.string(), userId: id, memberIds }),
  },
  'document.created': {
    aggregate: 'document',
    data: z.object({ projectId: id, title: z.string(), version: z.number().int(), memberIds }),
  },
  'document.updated': {
    aggregate: 'document',
    data: z.object({
      projectId: id,
      title: z.string(),
      version: z.number().int(),
      changedFields: z.array(z.string()),
      memberIds,
    }),
  },
  'document.deleted': {
    aggregate: 'document',
    data: z.object({ projectId: id, title: z.string(), memberIds }),
  },
} as const;

export type EventType = keyof typeof eventCatalog;
export type Aggregate = (typeof eventCatalog)[EventType]['aggregate'];
export type EventData<Type extends EventType> = z.infer<(typeof eventCatalog)[Type]['data']>;

export const eventTypes = Object.keys(eventCatalog) as EventType[];
