import { Counter, type Registry } from 'prom-client';

/** The entity types whose analytics fields are loaded in batches. */
export type EntityTypeName = 'Project' | 'User';

export type EventOutcome = 'applied' | 'duplicate';

export interface AnalyticsMetrics {
  /** One increment per DataLoader batch of `Project.stats` or `User.activity` (one SQL query). */
  referenceBatches: Counter<'type'>;
  /** One increment per event the consumer handled: rolled up, or already counted before. */
  eventsProcessed: Counter<'outcome'>;
  /** One increment per SQL statement the read repositories send. */
  sqlQueries: Counter;
}

export function registerAnalyticsMetrics(registry: Registry): AnalyticsMetrics {
  return {
    referenceBatches: new Counter({
      name: 'analytics_reference_batches_total',
      help: 'Batched loads of Project stats or User activity (one SQL query each)',
      labelNames: ['type'],
      registers: [registry],
    }),
    eventsProcessed: new Counter({
      name: 'analytics_events_processed_total',
      help: 'Events handled by the consumer: applied to the rollups, or duplicates of counted ones',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    sqlQueries: new Counter({
      name: 'analytics_sql_queries_total',
      help: 'SQL statements sent by the analytics read repositories',
      registers: [registry],
    }),
  };
}
