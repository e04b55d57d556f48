import type { Granularity } from '../time-buckets.js';
import type { Database } from '@platform/postgres';

export interface MetricPoint {
  bucket: Date;
  value: number;
}

export function metricBucketRepository(db: Database) {
  return {
    /**
     * The value of every bucket from `first` to `last` (bucket starts, both included), 0 where no
     * event was counted, oldest first.
     */
    series(
      name: string,
      granularity: Granularity,
      first: Date,
      last: Date,
      stepSeconds: number,
    ): Promise<MetricPoint[]> {
      return db.query<MetricPoint>(
        `SELECT s.bucket, COALESCE(m.value, 0)::float8 AS value
         FROM generate_series($3::timestamptz, $4::timestamptz, make_interval(secs => $5))
           AS s(bucket)
         LEFT JOIN metric_buckets m
           ON m.name = $1 AND m.granularity = $2 AND m.bucket = s.bucket
         ORDER BY s.bucket`,
        [name, granularity, first.toISOString(), last.toISOString(), stepSeconds],
      );
    },
  };
}

export type MetricBucketRepository = ReturnType<typeof metricBucketRepository>;
