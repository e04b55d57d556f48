import { badUserInput } from '@platform/errors';
import { eventTypes } from '@platform/events';
import { requireAdmin, requireScope } from '@platform/identity';
import { ALL_EVENTS } from './rollups.js';
import type { MetricBucketRepository, MetricPoint } from '../repositories/metric-buckets.js';
import { GRANULARITY_MS, bucketStart, type Granularity } from '../time-buckets.js';
import { requireDateTime } from './date-time-input.js';
import type { RequestScope } from './request-scope.js';

/** Every series there is: all events, and each event type of the catalog. */
export const METRIC_NAMES: readonly string[] = [ALL_EVENTS, ...eventTypes];

/** The most points one series may have: a day of minutes, two months of hours, four years of days. */
export const MAX_BUCKETS = 1500;

export interface MetricSeriesArgs {
  name: string;
  /** DateTime arguments as sent: parsed here (date-time-scalar.ts says why). */
  from: unknown;
  to: unknown;
  granularity: Granularity;
}

export interface MetricSeries {
  name: string;
  granularity: Granularity;
  points: MetricPoint[];
}

/** Time series of event counts (administrators only). */
export function metricSeriesService(buckets: MetricBucketRepository) {
  return {
    /**
     * One point per bucket from the bucket holding `from` up to `to` (exclusive), zeros included.
     */
    async series(
      { principal }: Pick<RequestScope, 'principal'>,
      { name, granularity, ...range }: MetricSeriesArgs,
    ): Promise<MetricSeries> {
      requireAdmin(requireScope(principal, 'read'));
      const from = requireDateTime(range.from, 'from');
      const to = requireDateTime(range.to, 'to');
      if (!METRIC_NAMES.includes(name)) {
        throw badUserInput(
          `Unknown metric '${name}'; valid names are: ${METRIC_NAMES.join(', ')}`,
          'name',
        );
      }
      if (from.getTime() >= to.getTime()) throw badUserInput('from must be before to', 'to');

      const step = GRANULARITY_MS[granularity];
      const first = bucketStart(from, granularity);
      const count = Math.ceil((to.getTime() - first.getTime()) / step);
      if (count > MAX_BUCKETS) {
        throw badUserInput(
          `from..to spans ${count} ${granularity} buckets; at most ${MAX_BUCKETS} are allowed ` +
            '(choose a coarser granularity or a shorter range)',
          'granularity',
        );
      }
      const last = new Date(first.getTime() + (count - 1) * step);
      const points = await buckets.series(name, granularity, first, last, step / 1000);
      return { name, granularity, points };
    },
  };
}

export type MetricSeriesService = ReturnType<typeof metricSeriesService>;
