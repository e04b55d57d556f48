import type { AttackId } from '../attack-ids.js';
import type { Attack } from '../attack.js';
import { batch } from './batch.js';
import { revokedKey } from './revoked-key.js';
import { subscribeFrames } from './subscribe-frames.js';
import { subscriptionAmplification } from './subscription-amplification.js';
import { unchargedWork } from './uncharged-work.js';

/** Issue 12's five attacks by id. */
export const ATTACKS: Record<AttackId, Attack> = {
  'subscription-amplification': subscriptionAmplification,
  batch,
  'subscribe-frames': subscribeFrames,
  'uncharged-work': unchargedWork,
  'revoked-key': revokedKey,
};
