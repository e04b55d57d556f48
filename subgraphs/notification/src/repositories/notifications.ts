import type { Database } from '@platform/postgres';

export type NotificationKind =
  'DOCUMENT_CREATED' | 'DOCUMENT_UPDATED' | 'DOCUMENT_DELETED' | 'PROJECT_MEMBER_ADDED';

/** The union members of `NotificationSubject`; stored as the GraphQL type name. */
export type SubjectType = 'Document' | 'Project';

/** A notification to store for one recipient of an event. */
export interface NewNotification {
  recipientId: string;
  kind: NotificationKind;
  message: string;
  actorId: string | null;
  subject: { type: SubjectType; id: string };
}

export interface Notification {
  /** A bigint in decimal (PostgreSQL's int8 arrives as a string). */
  id: string;
  recipientId: string;
  kind: NotificationKind;
  message: string;
  actorId: string | null;
  subjectType: SubjectType;
  subjectId: string;
  readAt: Date | null;
  createdAt: Date;
}

/** A notification to store, with the event it comes from. */
export interface StoredDraft extends NewNotification {
  eventId: string;
}

/** One page of a recipient's notifications, newest first. */
export interface PageRequest {
  recipientId: string;
  /** Only notifications with a smaller id (the page after this one), or from the newest. */
  beforeId: string | null;
  unreadOnly: boolean;
  limit: number;
}

const COLUMNS = `n.id::text AS id, n.recipient_id AS "recipientId", n.kind, n.message,
  n.actor_id AS "actorId", n.subject_type AS "subjectType", n.subject_id AS "subjectId",
  n.read_at AS "readAt", n.created_at AS "createdAt"`;

export function notificationRepository(db: Database) {
  return {
    /**
     * Stores notifications of one or more events (one transaction, one INSERT); returns how many
     * rows are new (a redelivered event's rows already exist and are left alone). Rows get ids in
     * the order given, so a recipient's rows of consecutive events get increasing ids.
     *
     * Each recipient's rows must get ids in commit order, or a replay `since` a cursor could skip
     * a row committed later with a smaller id (two instances handling two events for one
     * recipient at once). So the transaction first takes a lock per recipient, in one order to
     * avoid deadlocks, and draws the ids only while holding it. The locks live in PostgreSQL's
     * shared lock table (max_locks_per_transaction): callers send thousands of rows in chunks.
     *
     * Columns go as arrays (`unnest`), not as `VALUES ($1, ...)`: one statement of any size stays
     * within PostgreSQL's 65,535 bind parameters and is parsed once.
     */
    async insert(rows: readonly StoredDraft[]): Promise<number> {
      if (rows.length === 0) return 0;
      return db.transaction(async (tx) => {
        await tx.query(
          `SELECT pg_advisory_xact_lock(lock_key) FROM (
             SELECT DISTINCT hashtextextended('notification-recipient:' || recipient, 0) AS lock_key
             FROM unnest($1::text[]) AS recipient ORDER BY lock_key
           ) AS recipient_locks`,
          [rows.map((row) => row.recipientId)],
        );
        const inserted = await tx.query<{ id: string }>(
          `INSERT INTO notifications
             (event_id, recipient_id, kind, message, actor_id, subject_type, subject_id)
           SELECT d.event_id, d.recipient_id, d.kind, d.message, d.actor_id, d.subject_type, d.subject_id
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
             WITH ORDINALITY AS d(event_id, recipient_id, kind, message, actor_id, subject_type, subject_id, ord)
           ORDER BY d.ord
           ON CONFLICT (event_id, recipient_id) DO NOTHING
           RETURNING id`,
          [
            rows.map((row) => row.eventId),
            rows.map((row) => row.recipientId),
            rows.map((row) => row.kind),
            rows.map((row) => row.message),
            rows.map((row) => row.actorId),
            rows.map((row) => row.subject.type),
            rows.map((row) => row.subject.id),
          ],
        );
        return inserted.length;
      });
    },

    /** The events' notifications not yet published, in id order (per recipient: cursor order; whole rows: they are published). */
    /** With the event each comes from, whose trace its message continues. */
    findUnpublished(
      eventIds: readonly string[],
    ): Promise<Array<Notification & { eventId: string }>> {
      return db.query<Notification & { eventId: string }>(
        `SELECT ${COLUMNS}, n.event_id::text AS "eventId" FROM notifications n
         WHERE n.event_id = ANY($1::uuid[]) AND n.published_at IS NULL ORDER BY n.id`,
        [eventIds],
      );
    },

    async markPublished(ids: string[]): Promise<void> {
      await db.query(
        `UPDATE notifications SET published_at = now()
         WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
        [ids],
      );
    },

    /** Ids must be canonical decimal bigints; missing ones are simply absent. */
    findByIds(ids: readonly string[]): Promise<Notification[]> {
      return db.query<Notification>(
        `SELECT ${COLUMNS} FROM notifications n WHERE n.id = ANY($1::bigint[])`,
        [ids],
      );
    },

    /** Several pages in one query; the result holds each request's rows, in request order. */
    async findPages(requests: readonly PageRequest[]): Promise<Notification[][]> {
      const rows = await db.query<Notification & { request: string }>(
        `SELECT r.ord AS request, ${COLUMNS}
         FROM unnest($1::text[], $2::bigint[], $3::boolean[], $4::int[])
           WITH ORDINALITY AS r(recipient_id, before_id, unread_only, page_limit, ord)
         CROSS JOIN LATERAL (
           SELECT * FROM notifications
           WHERE recipient_id = r.recipient_id
             AND (r.before_id IS NULL OR id < r.before_id)
             AND (NOT r.unread_only OR read_at IS NULL)
           ORDER BY id DESC
           LIMIT r.page_limit
         ) AS n
         ORDER BY r.ord, n.id DESC`,
        [
          requests.map((request) => request.recipientId),
          requests.map((request) => request.beforeId),
          requests.map((request) => request.unreadOnly),
          requests.map((request) => request.limit),
        ],
      );
      const pages = requests.map((): Notification[] => []);
      for (const { request, ...notification } of rows)
        pages[Number(request) - 1]!.push(notification);
      return pages;
    },

    /** Up to `limit` of the recipient's notifications with an id above `afterId`, oldest first. */
    findAfter(recipientId: string, afterId: string, limit: number): Promise<Notification[]> {
      return db.query<Notification>(
        `SELECT ${COLUMNS} FROM notifications n
         WHERE n.recipient_id = $1 AND n.id > $2::bigint ORDER BY n.id LIMIT $3`,
        [recipientId, afterId, limit],
      );
    },

    /** Unread notifications per recipient; recipients without any are absent. */
    async countUnread(recipientIds: readonly string[]): Promise<Map<string, number>> {
      const rows = await db.query<{ recipientId: string; unread: number }>(
        `SELECT recipient_id AS "recipientId", count(*)::int AS unread FROM notifications
         WHERE recipient_id = ANY($1::text[]) AND read_at IS NULL GROUP BY recipient_id`,
        [recipientIds],
      );
      return new Map(rows.map((row) => [row.recipientId, row.unread]));
    },

    /** Marks the recipient's notifications among `ids` read; returns them (others' are ignored). */
    markRead(recipientId: string, ids: string[]): Promise<Notification[]> {
      return db.query<Notification>(
        `UPDATE notifications n SET read_at = coalesce(n.read_at, now())
         WHERE n.recipient_id = $1 AND n.id = ANY($2::bigint[])
         RETURNING ${COLUMNS}`,
        [recipientId, ids],
      );
    },

    /** Marks every unread notification of the recipient read; returns how many changed. */
    async markAllRead(recipientId: string): Promise<number> {
      const [row] = await db.query<{ changed: number }>(
        `WITH changed AS (
           UPDATE notifications SET read_at = now()
           WHERE recipient_id = $1 AND read_at IS NULL RETURNING 1
         )
         SELECT count(*)::int AS changed FROM changed`,
        [recipientId],
      );
      return row?.changed ?? 0;
    },
  };
}

export type NotificationRepository = ReturnType<typeof notificationRepository>;
