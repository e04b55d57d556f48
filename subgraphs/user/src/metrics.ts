import { Counter, type Registry } from 'prom-client';

export type EntityTypeName = 'User' | 'Organization';

export interface UserMetrics {
  /** One increment per DataLoader batch of entity loads (federation references included). */
  referenceBatches: Counter<'type'>;
  /** One increment per SQL statement requests send (the outbox relay's polls are not counted). */
  sqlQueries: Counter;
}

export function registerUserMetrics(registry: Registry): UserMetrics {
  return {
    referenceBatches: new Counter({
      name: 'user_reference_batches_total',
      help: 'Batched loads of User or Organization entities (one SQL query each)',
      labelNames: ['type'],
      registers: [registry],
    }),
    sqlQueries: new Counter({
      name: 'user_sql_queries_total',
      help: 'SQL statements sent by the user subgraph repositories',
      registers: [registry],
    }),
  };
}
