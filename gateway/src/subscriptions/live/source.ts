import { GraphQLError, getArgumentValues } from 'graphql';
import { ErrorCode, badUserInput, forbidden, platformError } from '@platform/errors';
import type { Logger } from '@platform/logger';
import { fillChannel } from '@platform/realtime';
import type { LiveField } from '../../supergraph/live-fields.js';
import { channelResolver } from '../channel-resolver.js';
import { ChannelStream } from '../channel-stream.js';
import type { LiveChannels } from '../channels.js';
import type { DeliveryRetry } from '../delivery-retry.js';
import { cursorPosition } from '../cursor-order.js';
import type { RunQuery } from '../run-query.js';
import type { SubscriptionSource } from '../source.js';
import { badRequest } from '../subscription-request.js';
import { ENTITY_KEY, LIVE_REPLAY_PAGE_SIZE, liveQueries } from './queries.js';

export interface LiveSourceOptions {
  /** The `@live` fields of the supergraph served now (they follow its reloads). */
  liveFields: () => ReadonlyMap<string, LiveField>;
  channels: LiveChannels;
  /** Resolves through the gateway's pipeline as the subscriber (`subscriptionQueries`). */
  runQuery: RunQuery;
  /** Live messages a stream holds before folding them into one replay (see ChannelStream). */
  inboxLimit: number;
  /** Retries an entity that cannot be resolved right now (see ChannelStream). */
  retry: DeliveryRetry;
  logger: Logger;
}

/**
 * Every Subscription field a subgraph declares `@live`, with no code per field: the declaration
 * (`supergraph/live-fields.ts`) names the channel, and the queries that authorize the subscriber,
 * resolve one message's entity and replay from `since`. Each runs through the gateway's pipeline
 * as the subscriber, so the subgraph's own access rules decide what the subscriber may see, and
 * the selection is resolved across subgraphs like any query. The stream, its ordering, pacing and
 * catch-up after a Redis outage are `notificationAdded`'s (`channel-stream.ts`).
 */
export function liveSource({
  liveFields,
  channels,
  runQuery,
  inboxLimit,
  retry,
  logger,
}: LiveSourceOptions): SubscriptionSource {
  const log = logger.child({ component: 'live-fields' });
  return {
    fields: () => [...liveFields().keys()],
    prepare(request) {
      const { schema, root, coercedVariables } = request;
      const live = liveFields().get(root.name.value);
      const definition = schema.getSubscriptionType()?.getFields()[root.name.value];
      if (!live || !definition || !root.selectionSet) {
        return [badRequest(`${root.name.value} cannot be subscribed`)];
      }
      const args = getArgumentValues(definition, root, coercedVariables);
      const channel = fillChannel(live.channel, args);
      if (channel === undefined) {
        return [badUserInput(`${live.field} needs the arguments its channel is named by`)];
      }
      let since: bigint | undefined;
      if (args.since !== undefined && args.since !== null) {
        if (!live.since) {
          return [badUserInput(`${live.field} cannot resume: it declares no since query`, 'since')];
        }
        since = typeof args.since === 'string' ? cursorPosition(args.since) : undefined;
        if (since === undefined)
          return [badUserInput(`since is not a ${live.field} cursor`, 'since')];
      }
      const queries = liveQueries(live, definition, request, args);
      if (typeof queries === 'string') {
        log.error({ field: live.field, problem: queries }, 'a @live declaration cannot be served');
        return [platformError(ErrorCode.InternalServerError, `${live.field} cannot be served now`)];
      }
      const responseKey = (root.alias ?? root.name).value;
      const resolving = {
        responseKey,
        byId: { ...queries.byId, key: ENTITY_KEY },
        ...(queries.replay && { replay: { ...queries.replay, key: ENTITY_KEY } }),
        pageSize: LIVE_REPLAY_PAGE_SIZE,
        what: `${live.field} events`,
      };
      return {
        async authorize(principal) {
          const { data, errors } = await runQuery(queries.authorize, principal);
          if (errors?.length) {
            return errors.map(
              (error) =>
                new GraphQLError(error.message, {
                  extensions: error.extensions ?? { code: ErrorCode.InternalServerError },
                }),
            );
          }
          const allowed = data?.[ENTITY_KEY];
          if (allowed === null || allowed === undefined || allowed === false) {
            return [forbidden(`You may not subscribe to ${live.field} with these arguments`)];
          }
          return undefined;
        },
        open: ({ principal, outbox, logger: subscriberLogger, onEnd, onDelivered }) =>
          new ChannelStream({
            channel,
            since,
            resolver: channelResolver(runQuery, resolving, principal),
            channels,
            outbox,
            inboxLimit,
            retry,
            logger: subscriberLogger,
            onEnd,
            onDelivered,
          }),
      };
    },
  };
}
