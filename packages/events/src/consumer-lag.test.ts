import { describe, expect, it } from '@jest/globals';
import { consumerLag } from './consumer-lag.js';

const marks = (high: string, low = '0') => [{ partition: 0, low, high }];

describe('consumer lag', () => {
  it('is the high watermark minus the committed offset', () => {
    expect(
      consumerLag([{ partition: 0, offset: '40' }], marks('100'), { fromBeginning: true }),
    ).toEqual([{ partition: 0, lag: 60 }]);
  });

  it('is zero for a group that has committed up to the high watermark', () => {
    expect(
      consumerLag([{ partition: 0, offset: '100' }], marks('100'), { fromBeginning: true }),
    ).toEqual([{ partition: 0, lag: 0 }]);
  });

  it('counts everything retained on a partition with no commit for a group reading from the beginning', () => {
    expect(
      consumerLag([{ partition: 0, offset: '-1' }], marks('100', '30'), { fromBeginning: true }),
    ).toEqual([{ partition: 0, lag: 70 }]);
    expect(consumerLag([], marks('100', '30'), { fromBeginning: true })).toEqual([
      { partition: 0, lag: 70 },
    ]);
  });

  it('counts nothing on a partition with no commit for a group that starts at the end', () => {
    expect(
      consumerLag([{ partition: 0, offset: '-1' }], marks('100'), { fromBeginning: false }),
    ).toEqual([{ partition: 0, lag: 0 }]);
  });

  it('counts from the low watermark when retention deleted messages the group had not read', () => {
    expect(
      consumerLag([{ partition: 0, offset: '10' }], marks('100', '50'), { fromBeginning: true }),
    ).toEqual([{ partition: 0, lag: 50 }]);
  });

  it('never reports a negative lag (a watermark read before a racing commit)', () => {
    expect(
      consumerLag([{ partition: 0, offset: '105' }], marks('100'), { fromBeginning: true }),
    ).toEqual([{ partition: 0, lag: 0 }]);
  });

  it('keeps int64 offsets beyond 2^53 exact until the difference', () => {
    const high = (2n ** 60n + 7n).toString();
    const committed = (2n ** 60n).toString();
    expect(
      consumerLag([{ partition: 0, offset: committed }], marks(high, committed), {
        fromBeginning: true,
      }),
    ).toEqual([{ partition: 0, lag: 7 }]);
  });

  it('reads each partition on its own', () => {
    expect(
      consumerLag(
        [
          { partition: 0, offset: '5' },
          { partition: 1, offset: '9' },
        ],
        [
          { partition: 0, low: '0', high: '8' },
          { partition: 1, low: '0', high: '9' },
          { partition: 2, low: '0', high: '4' },
        ],
        { fromBeginning: true },
      ),
    ).toEqual([
      { partition: 0, lag: 3 },
      { partition: 1, lag: 0 },
      { partition: 2, lag: 4 },
    ]);
  });
});
