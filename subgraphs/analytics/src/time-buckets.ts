/**
 * Time buckets, all in UTC: a bucket is named by its start (the minute, hour or day an instant
 * falls in). Computed here once, for the rollups that write buckets and the queries that read them.
 */
export type Granularity = 'MINUTE' | 'HOUR' | 'DAY';

/** The granularities of the activity rollups: minutes for the last hour, hours for the rest. */
export type ActivityGranularity = Exclude<Granularity, 'DAY'>;

export type TimeRange = 'LAST_HOUR' | 'LAST_DAY' | 'LAST_7_DAYS' | 'LAST_30_DAYS';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** UTC has no daylight saving time and JavaScript has no leap seconds: every bucket is fixed. */
export const GRANULARITY_MS: Record<Granularity, number> = {
  MINUTE: MINUTE_MS,
  HOUR: HOUR_MS,
  DAY: DAY_MS,
};

export const ACTIVITY_GRANULARITIES: readonly ActivityGranularity[] = ['MINUTE', 'HOUR'];
export const GRANULARITIES: readonly Granularity[] = ['MINUTE', 'HOUR', 'DAY'];

/** The start of the bucket `at` falls in. */
export function bucketStart(at: Date, granularity: Granularity): Date {
  const size = GRANULARITY_MS[granularity];
  return new Date(Math.floor(at.getTime() / size) * size);
}

const RANGE_MS: Record<TimeRange, number> = {
  LAST_HOUR: HOUR_MS,
  LAST_DAY: DAY_MS,
  LAST_7_DAYS: 7 * DAY_MS,
  LAST_30_DAYS: 30 * DAY_MS,
};

export interface RangeWindow {
  granularity: ActivityGranularity;
  /** The first bucket in the range: the one `range` before `now` falls in. */
  since: Date;
  /** The last bucket in the range: the one `now` falls in (events stamped later are not yet). */
  until: Date;
}

/**
 * Which activity buckets a range covers: from the one holding `now - range` to the one holding
 * `now`. The range is exact to its granularity (a minute for LAST_HOUR, an hour for the others).
 */
export function rangeWindow(range: TimeRange, now: Date = new Date()): RangeWindow {
  const granularity: ActivityGranularity = range === 'LAST_HOUR' ? 'MINUTE' : 'HOUR';
  return {
    granularity,
    since: bucketStart(new Date(now.getTime() - RANGE_MS[range]), granularity),
    until: bucketStart(now, granularity),
  };
}

/** The first UTC day of "the last 7 days": today and the six days before. */
export function firstDayOfLastWeek(now: Date = new Date()): Date {
  return new Date(bucketStart(now, 'DAY').getTime() - 6 * DAY_MS);
}
