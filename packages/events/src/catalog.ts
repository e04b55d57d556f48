import { z } from 'zod';

/**
 * Every event the platform emits, by type: the aggregate (and so the topic) it belongs to and the
 * schema of its `data`. Producers and consumers validate against this one catalog. A change to a
 * data schema that is not backwards compatible gets a new schemaVersion.
 */
const id = z.string().min(1);
/**
 * The project's members, whom the notification subgraph tells: every one, so an event of a
 * 10,000-member project is about 400 KB. The broker takes a record batch of up to 1 MiB (its
 * default `message.max.bytes`), and the outbox relay sends at most MAX_PRODUCE_BYTES at once
 * (produce-requests.ts): one event may name about 25,000 members.
 */
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
  /** A platform administrator set the user's platform role (or ADMIN_EMAILS made them ADMIN). */
  'user.role_changed': {
    aggregate: 'user',
    data: z.object({ role: z.enum(['USER', 'ADMIN']) }),
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
  /** `name` and `memberIds` as they are after the update; `changedFields` in schema order. */
  'project.updated': {
    aggregate: 'project',
    data: z.object({ name: z.string(), changedFields: z.array(z.string()), memberIds }),
  },
  /** `memberIds` after the removal, so without `userId`. */
  'project.member_removed': {
    aggregate: 'project',
    data: z.object({ name: z.string(), userId: id, memberIds }),
  },
  /** After its documents' `document.deleted` events (each with `withProject: true`). */
  'project.deleted': {
    aggregate: 'project',
    data: z.object({ name: z.string(), ownerId: id, memberIds }),
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
    data: z.object({
      projectId: id,
      title: z.string(),
      memberIds,
      /** True when the document went with its project (deleteProject), not on its own. */
      withProject: z.boolean().optional(),
    }),
  },
} as const;

export type EventType = keyof typeof eventCatalog;
export type Aggregate = (typeof eventCatalog)[EventType]['aggregate'];
export type EventData<Type extends EventType> = z.infer<(typeof eventCatalog)[Type]['data']>;

export const eventTypes = Object.keys(eventCatalog) as EventType[];
