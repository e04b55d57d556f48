import type { Aggregate } from './catalog.js';

/** One topic per aggregate; messages are keyed by the aggregate id, so one entity stays ordered. */
export const topicFor = (aggregate: Aggregate): string => `platform.${aggregate}.events`;

export const ALL_EVENT_TOPICS: string[] = (
  ['user', 'organization', 'project', 'document'] as const
).map(topicFor);

/** Where consumers put messages they cannot process, with the reason in headers. */
export const DEAD_LETTER_TOPIC = 'platform.dead-letter';
