export interface ActivityCounts {
  documentsCreated: number;
  documentEdits: number;
}

export interface ActivityRanges {
  hour: ActivityCounts;
  day: ActivityCounts;
  week: ActivityCounts;
  month: ActivityCounts;
}

/**
 * The analytics API counts a user's activity in trailing ranges (last hour, day, 7 and 30 days),
 * each including the shorter ones. Subtracting them gives disjoint periods, oldest first, which a
 * chart can show as activity over time.
 */
export function activityOverTime(ranges: ActivityRanges): {
  categories: string[];
  created: number[];
  edits: number[];
} {
  const order = [ranges.month, ranges.week, ranges.day, ranges.hour];
  const periods = order.map((range, index) => {
    const shorter = order[index + 1];
    return {
      created: Math.max(0, range.documentsCreated - (shorter?.documentsCreated ?? 0)),
      edits: Math.max(0, range.documentEdits - (shorter?.documentEdits ?? 0)),
    };
  });
  return {
    categories: ['30–7 days', '7–1 days', 'Today', 'Last hour'],
    created: periods.map((period) => period.created),
    edits: periods.map((period) => period.edits),
  };
}
