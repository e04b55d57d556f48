import type { AuthenticatedPrincipal } from '@platform/identity';
import type { ChannelResolver } from '../channel-stream.js';
import { channelResolver } from '../channel-resolver.js';
import type { RunQuery } from '../run-query.js';
import { REPLAY_PAGE_SIZE } from './queries.js';
import type { NotificationSubscription } from './subscription.js';

/** Resolves notifications with one subscriber's selection, as that subscriber. */
export function notificationResolver(
  runQuery: RunQuery,
  subscription: NotificationSubscription,
  principal: AuthenticatedPrincipal,
): ChannelResolver {
  const { responseKey, queries } = subscription;
  return channelResolver(
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
}
