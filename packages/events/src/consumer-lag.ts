/** A group's committed offset of one partition, as kafkajs' `admin.fetchOffsets` reads it. */
export interface CommittedOffset {
  partition: number;
  /** `-1` (kafkajs' "none"): the group has committed nothing on this partition yet. */
  offset: string;
}

/** One partition's watermarks, as kafkajs' `admin.fetchTopicOffsets` reads them. */
export interface PartitionWatermarks {
  partition: number;
  /** The oldest offset still retained. */
  low: string;
  /** The offset the next message will get (one past the last). */
  high: string;
}

export interface PartitionLag {
  partition: number;
  /** Messages on the partition the group has not committed yet. */
  lag: number;
}

/**
 * How far a consumer group is behind on each partition of one topic: the high watermark minus the
 * group's committed offset (the next offset it will read). A partition the group has committed
 * nothing on counts everything retained (low to high) for a group that starts from the beginning,
 * and nothing for one that starts at the end (it will not read what is there now). Offsets are
 * int64 strings, so the arithmetic is BigInt; a committed offset below the low watermark (the
 * retention deleted what it had not read) counts from the low watermark.
 */
export function consumerLag(
  committed: readonly CommittedOffset[],
  watermarks: readonly PartitionWatermarks[],
  { fromBeginning }: { fromBeginning: boolean },
): PartitionLag[] {
  const committedByPartition = new Map(committed.map((entry) => [entry.partition, entry.offset]));
  return watermarks.map(({ partition, low, high }) => {
    const highOffset = BigInt(high);
    const lowOffset = BigInt(low);
    const offset = BigInt(committedByPartition.get(partition) ?? '-1');
    let lag: bigint;
    if (offset < 0n) lag = fromBeginning ? highOffset - lowOffset : 0n;
    else lag = highOffset - (offset < lowOffset ? lowOffset : offset);
    return { partition, lag: Number(lag < 0n ? 0n : lag) };
  });
}
