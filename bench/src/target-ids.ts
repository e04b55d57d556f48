/**
 * Every target, in the order they are measured at each scale: the platform gateway (a) first, as
 * its answer is the reference; (d) serves (a)'s bytes.
 */
export const TARGET_IDS = ['a', 'a2', 'a+dedup', 'b', 'c', 'd', 'e', 'e+dedup', 'e+cache'] as const;
export type TargetId = (typeof TARGET_IDS)[number];
