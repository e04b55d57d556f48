import { describe, expect, it } from 'vitest';
import { activityOverTime } from './activity.js';

describe('activityOverTime', () => {
  it('turns nested trailing ranges into disjoint periods, oldest first', () => {
    const counts = (documentsCreated: number, documentEdits: number) => ({
      documentsCreated,
      documentEdits,
    });
    const result = activityOverTime({
      hour: counts(1, 2),
      day: counts(1, 5),
      week: counts(3, 5),
      month: counts(4, 9),
    });
    expect(result.created).toEqual([1, 2, 0, 1]);
    expect(result.edits).toEqual([4, 0, 3, 2]);
    expect(result.categories).toHaveLength(4);
  });
});
