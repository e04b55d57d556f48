/** Issue 12's five attacks, in the order the soak runs them. */
export const ATTACK_IDS = [
  'subscription-amplification',
  'batch',
  'subscribe-frames',
  'uncharged-work',
  'revoked-key',
] as const;

export type AttackId = (typeof ATTACK_IDS)[number];
