import { Counter, type Registry } from 'prom-client';

/** What a batched load fetches: notifications by id, unread counts by user, pages by user. */
export type BatchType = 'Notification' | 'UnreadCount' | 'NotificationPage';

export interface NotificationMetrics {
  /** Rows stored (a redelivered event adds none). */
  created: Counter;
  /** Messages published on Redis (a crash between publish and bookkeeping can repeat one). */
  published: Counter;
  /** One increment per DataLoader batch (federation references included): one SQL query each. */
  referenceBatches: Counter<'type'>;
  /** One increment per SQL statement the repositories send. */
  sqlQueries: Counter;
}

/**
 * The subgraph's counters on `registry`. Idempotent: the HTTP side and a consumer restarted on its
 * own (tests, the end-to-end suite) share the counters of one registry.
 */
export function registerNotificationMetrics(registry: Registry): NotificationMetrics {
  const counter = <Label extends string = never>(
    name: string,
    help: string,
    labelNames: Label[] = [],
  ): Counter<Label> =>
    (registry.getSingleMetric(name) as Counter<Label> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] });

  return {
    created: counter('notification_created_total', 'Notifications stored'),
    published: counter('notification_published_total', 'Notifications published on Redis'),
    referenceBatches: counter(
      'notification_reference_batches_total',
      'Batched loads by what they load (one SQL query each)',
      ['type'],
    ),
    sqlQueries: counter(
      'notification_sql_queries_total',
      'SQL statements sent by the notification subgraph repositories',
    ),
  };
}
