import type { AuthenticatedPrincipal } from '@platform/identity';
import type { ChannelResolver } from '../channel-stream.js';
import { channelResolver } from '../channel-resolver.js';
import type { RunQuery } from '../run-query.js';
import { REPLAY_PAGE_SIZE } from './queries.js';
import type { NotificationSubscription } from './subscription.js';

/**
 * Resolves notifications with one subscriber's selection, as that subscriber: from the published
 * message when the subscription's projection serves it (no query, no subgraph call), else through
 * the gateway's pipeline. Replays always read the store through the pipeline.
 *
 * Serving from the message authorizes exactly as the pipeline would: `notification(id)` answers
 * the caller's own notification to a principal holding `read`; the message arrived on the
 * principal's own channel (`notificationChannel(principal.userId)`, never chosen by the client),
 * and `read` is checked when the subscription starts (`source.ts`).
 */
export function notificationResolver(
  runQuery: RunQuery,
  subscription: NotificationSubscription,
  principal: AuthenticatedPrincipal,
): ChannelResolver {
  const { responseKey, queries, projection } = subscription;
  const pipeline = channelResolver(
    runQuery,
    {
      responseKey,
      byId: { ...queries.byId, key: 'notification' },
      replay: { ...queries.replay, key: 'notificationsSince' },
      pageSize: REPLAY_PAGE_SIZE,
      what: 'notifications',
    },
    principal,
  );
  if (!projection) return pipeline;
  return {
    byId(message) {
      const served = message.entity && projection(message.entity);
      return served ? Promise.resolve({ data: { [responseKey]: served } }) : pipeline.byId(message);
    },
    replayPage: (after) => pipeline.replayPage(after),
  };
}
