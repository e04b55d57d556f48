import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, platformError } from '@platform/errors';
import type { AuthenticatedPrincipal } from '@platform/identity';
import type { RunQuery } from '../run-query.js';
import { cursorAt, cursorPosition, type CursorPosition } from './cursor-order.js';
import { REPLAY_PAGE_SIZE } from './queries.js';
import type { NotificationSubscription } from './subscription.js';

/** A replayed notification: its place in the order and what the client is sent. */
export interface ReplayEntry {
  position: CursorPosition;
  result: ExecutionResult;
}

/** Resolves notifications with one subscriber's selection, as that subscriber. */
export interface NotificationResolver {
  /** Undefined when the subscriber cannot see it (not theirs, or gone). */
  byId(notificationId: string): Promise<ExecutionResult | undefined>;
  /** The page after `after`, oldest first; `full` when another page may follow. */
  replayPage(after: CursorPosition): Promise<{ entries: ReplayEntry[]; full: boolean }>;
}

export function notificationResolver(
  runQuery: RunQuery,
  subscription: NotificationSubscription,
  principal: AuthenticatedPrincipal,
): NotificationResolver {
  const { responseKey, queries } = subscription;
  return {
    async byId(notificationId) {
      const { data, errors } = await runQuery(
        {
          ...queries.byId,
          variables: { ...queries.byId.variables, [queries.byId.idVariable]: notificationId },
        },
        principal,
      );
      const notification = data?.notification ?? null;
      if (notification === null && !errors?.length) return undefined;
      return {
        data: notification === null ? null : { [responseKey]: notification },
        ...(errors?.length && {
          errors: errors.map((error) => asClientError(error, 1, responseKey)),
        }),
      };
    },

    async replayPage(after) {
      const { data, errors = [] } = await runQuery(
        {
          ...queries.replay,
          variables: {
            ...queries.replay.variables,
            [queries.replay.sinceVariable]: cursorAt(after),
          },
        },
        principal,
      );
      const page = data?.notificationsSince;
      const unplaced = errors.filter((error) => typeof error.path?.[1] !== 'number');
      if (!Array.isArray(page) || unplaced.length > 0) {
        throw replayFailed(unplaced[0] ?? errors[0]);
      }
      const entries = page.map((item: Record<string, unknown>, index): ReplayEntry => {
        const { [queries.replay.cursorKey]: cursor, ...notification } = item;
        const position = typeof cursor === 'string' ? cursorPosition(cursor) : undefined;
        if (position === undefined) throw replayFailed(undefined);
        const own = errors.filter((error) => error.path?.[1] === index);
        return {
          position,
          result: {
            data: { [responseKey]: notification },
            ...(own.length && { errors: own.map((error) => asClientError(error, 2, responseKey)) }),
          },
        };
      });
      return { entries, full: page.length >= REPLAY_PAGE_SIZE };
    },
  };
}

/**
 * An error of the rewritten query as the subscriber's own: its path starts at the subscription
 * field (`notification.actor` -> `notificationAdded.actor`); locations pointed into the rewritten
 * text, so they are dropped.
 */
function asClientError(
  error: GraphQLFormattedError,
  prefixLength: number,
  responseKey: string,
): GraphQLError {
  return new GraphQLError(error.message, {
    path: error.path ? [responseKey, ...error.path.slice(prefixLength)] : undefined,
    extensions: error.extensions,
  });
}

/** A replay that cannot be completed in order ends the subscription; the client resumes `since`. */
function replayFailed(cause: GraphQLFormattedError | undefined): GraphQLError {
  if (cause?.extensions?.code && cause.extensions.code !== ErrorCode.InternalServerError) {
    return new GraphQLError(cause.message, { extensions: cause.extensions });
  }
  return platformError(
    'SERVICE_UNAVAILABLE',
    'Missed notifications could not be replayed; resubscribe with the last cursor you received',
  );
}
