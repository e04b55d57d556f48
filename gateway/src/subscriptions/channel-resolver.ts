import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, platformError } from '@platform/errors';
import type { AuthenticatedPrincipal } from '@platform/identity';
import type { ChannelResolver, ReplayEntry } from './channel-stream.js';
import { cursorAt, cursorPosition } from './cursor-order.js';
import type { PreparedQuery, RunQuery } from './run-query.js';

/** The rewritten queries of one subscription, and where their answers are. */
export interface ChannelQueries {
  /** The key the client reads the entity under: its alias, or the field's name. */
  responseKey: string;
  /** Answers one message; its entity is at `data[key]`. */
  byId: PreparedQuery & { idVariable: string; key: string };
  /** One page after a cursor, each entity with its cursor at `cursorKey`; absent: no replay. */
  replay?: PreparedQuery & { sinceVariable: string; cursorKey: string; key: string };
  /** How many entities a replay page asks for; a shorter page is the last one. */
  pageSize: number;
  /** What the replay is of, for its error message ("notifications"). */
  what: string;
}

/**
 * Resolves a channel's entities with one subscriber's selection, through the gateway's pipeline as
 * that subscriber (`notificationAdded` and every `@live` field). Without a replay query, a replay
 * finds nothing: what a stream missed is not sent (see the gateway README, "Live fields").
 */
export function channelResolver(
  runQuery: RunQuery,
  queries: ChannelQueries,
  principal: AuthenticatedPrincipal,
): ChannelResolver {
  const { responseKey, byId, replay } = queries;
  return {
    async byId({ id, cursor }) {
      const { data, errors } = await runQuery(
        { ...byId, variables: { ...byId.variables, [byId.idVariable]: id }, moment: cursor },
        principal,
      );
      const entity = data?.[byId.key] ?? null;
      if (entity === null && !errors?.length) return undefined;
      return {
        data: entity === null ? null : { [responseKey]: entity },
        ...(errors?.length && {
          errors: errors.map((error) => asClientError(error, 1, responseKey)),
        }),
      };
    },

    async replayPage(after) {
      if (!replay) return { entries: [], full: false };
      const { data, errors = [] } = await runQuery(
        { ...replay, variables: { ...replay.variables, [replay.sinceVariable]: cursorAt(after) } },
        principal,
      );
      const page = data?.[replay.key];
      const unplaced = errors.filter((error) => typeof error.path?.[1] !== 'number');
      if (!Array.isArray(page) || unplaced.length > 0) {
        throw replayFailed(queries.what, unplaced[0] ?? errors[0]);
      }
      const entries = page.map((item: Record<string, unknown>, index): ReplayEntry => {
        const { [replay.cursorKey]: cursor, ...entity } = item;
        const position = typeof cursor === 'string' ? cursorPosition(cursor) : undefined;
        if (position === undefined) throw replayFailed(queries.what, undefined);
        const own = errors.filter((error) => error.path?.[1] === index);
        return {
          position,
          result: {
            data: { [responseKey]: entity },
            ...(own.length && { errors: own.map((error) => asClientError(error, 2, responseKey)) }),
          },
        };
      });
      return { entries, full: page.length >= queries.pageSize };
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
function replayFailed(what: string, cause: GraphQLFormattedError | undefined): GraphQLError {
  if (cause?.extensions?.code && cause.extensions.code !== ErrorCode.InternalServerError) {
    return new GraphQLError(cause.message, { extensions: cause.extensions });
  }
  return platformError(
    'SERVICE_UNAVAILABLE',
    `Missed ${what} could not be replayed; resubscribe with the last cursor you received`,
  );
}
