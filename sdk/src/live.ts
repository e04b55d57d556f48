import type { Client as WsClient } from 'graphql-ws';
import { backoffDelay, socketError, type Client, type ConnectionState } from './client.js';
import {
  errorFromResponse,
  ForbiddenError,
  PlatformError,
  UnauthenticatedError,
} from './errors.js';
import type { GraphQLErrorEntry } from './errors.js';
import {
  DocumentChangedDocument,
  NotificationAddedDocument,
  type DocumentChangedSubscription,
  type NotificationFieldsFragment,
} from './generated/operations.js';

export type Notification = NotificationFieldsFragment;
/** A document as `documentChanged` delivers it, with the cursor of its change. */
export type DocumentChange = DocumentChangedSubscription['documentChanged'];

export interface LiveOptions {
  /**
   * Start after this cursor (a Notification.cursor, a Document.changeCursor); without it, only
   * what happens from now on.
   */
  since?: string;
  /** Called on every state change: connecting, live, retrying, closed. */
  onStateChange?: (state: ConnectionState) => void;
  /** Reconnect backoff (full jitter); default 100 ms base, 5 s cap. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

export interface LiveStream<Item> extends AsyncIterableIterator<Item> {
  readonly state: ConnectionState;
  /** The cursor of the last item delivered (pass it as `since` to resume later). */
  readonly lastCursor: string | undefined;
  close(): Promise<void>;
}

export type LiveNotifications = LiveStream<Notification>;
export type LiveDocuments = LiveStream<DocumentChange>;

/** One resumable Subscription field: the gateway's notificationAdded, or a field declared @live. */
export interface LiveField<Item> {
  query: string;
  /** The field the items are read from. */
  field: string;
  /** The subscription's variables, resuming after `since`. */
  variables: (since: string | undefined) => Record<string, unknown>;
  /**
   * Where an item sits in the stream's order, when its frame does not say: the gateway puts every
   * item's cursor in the frame's `extensions.cursor`, which is read first. Without either, the
   * item's own `cursor` field, if selected.
   */
  cursorOf?: (item: Item) => string | undefined;
}

/** The caller's notifications, live and resumable; see `liveSubscription`. */
export const liveNotifications = (client: Client, options: LiveOptions = {}): LiveNotifications =>
  liveSubscription<Notification>(
    client,
    {
      query: NotificationAddedDocument.toString(),
      field: 'notificationAdded',
      variables: (since) => ({ since: since ?? null }),
      cursorOf: (notification) => notification.cursor,
    },
    options,
  );

/**
 * A project's documents as they are created or updated by anyone, live and resumable (in their
 * new state; deletions are not sent). Rejects with the platform's error (FORBIDDEN for a project
 * the caller is not a member of); see `liveSubscription`.
 */
export const liveDocuments = (
  client: Client,
  projectId: string,
  options: LiveOptions = {},
): LiveDocuments =>
  liveSubscription<DocumentChange>(
    client,
    {
      query: DocumentChangedDocument.toString(),
      field: 'documentChanged',
      variables: (since) => ({ projectId, since: since ?? null }),
      cursorOf: (document) => document.changeCursor,
    },
    options,
  );

/** How many delivered cursors are remembered to drop redeliveries. */
const SEEN_LIMIT = 10_000;

/**
 * Codes that mean "not right now": the gateway could not resolve an item (or start the
 * subscription) for the moment. The stream resumes from the last cursor delivered, so the item is
 * replayed once it can be resolved, instead of ending or being yielded incomplete.
 */
const RESUMABLE_CODES = new Set([
  'SERVICE_UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
  'CONCURRENCY_LIMIT_EXCEEDED',
]);

const isResumable = (errors: readonly GraphQLErrorEntry[]) =>
  errors.some(
    (error) =>
      error.extensions?.retryable === true ||
      RESUMABLE_CODES.has(String(error.extensions?.code ?? '')),
  );

/** A `cursor` string on a frame's `extensions` or on an item that selected one, if any. */
const cursorIn = (holder: unknown) => {
  const cursor = (holder as { cursor?: unknown } | null | undefined)?.cursor;
  return typeof cursor === 'string' ? cursor : undefined;
};

/**
 * A resumable subscription (notifications, a project's documents), over graphql-ws.
 *
 * Each connection is one graphql-ws client with its own retries off: on a drop this loop, not
 * graphql-ws, reconnects (exponential backoff, full jitter), because graphql-ws would resubscribe
 * with the original variables, and a resume must send the last cursor delivered as `since`. The
 * gateway replays what came after it in order; cursors seen already are dropped, so every
 * item is yielded exactly once, in order, across any number of drops. An item's cursor is the
 * frame's `extensions.cursor` (any selection), else `cursorOf`. A stream the gateway ends with a
 * retryable error (`extensions.retryable`, SERVICE_UNAVAILABLE: an item it could not resolve
 * right now), or a frame with such an error, is resumed like a drop, so an item is never yielded
 * incomplete nor skipped. Unauthorized (4401) and Forbidden (4403) closes, and other GraphQL
 * errors, end the iteration with the error, except a 4401 a client keeping its own session
 * recovers from by refreshing it (client.renewSession).
 */
export function liveSubscription<Item>(
  client: Client,
  live: LiveField<Item>,
  options: LiveOptions = {},
): LiveStream<Item> {
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const queue: Item[] = [];
  const waiters: Array<{
    resolve: (result: IteratorResult<Item>) => void;
    reject: (error: unknown) => void;
  }> = [];
  const seen = new Set<string>();
  let lastCursor = options.since;
  let state: ConnectionState = 'connecting';
  let failure: unknown;
  let closed = false;
  let ws: WsClient | undefined;
  let wakeUp: (() => void) | undefined;
  /** Items yielded so far: a connection that yielded something resets the backoff. */
  let delivered = 0;

  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    options.onStateChange?.(next);
  };
  const flush = () => {
    while (waiters.length) {
      const item = queue.shift();
      if (item) waiters.shift()!.resolve({ done: false, value: item });
      else if (failure !== undefined) waiters.shift()!.reject(failure);
      else if (closed) waiters.shift()!.resolve({ done: true, value: undefined });
      else break;
    }
  };
  const deliver = (item: Item, cursor: string | undefined) => {
    if (cursor !== undefined) {
      if (seen.has(cursor)) return;
      seen.add(cursor);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value!);
      lastCursor = cursor;
    }
    delivered += 1;
    queue.push(item);
    flush();
  };
  const finish = async (error?: unknown) => {
    if (closed) return;
    closed = true;
    if (error !== undefined) failure = error;
    setState('closed');
    wakeUp?.();
    const socket = ws;
    ws = undefined;
    await socket?.dispose();
    flush();
  };

  /** One connection: resolves when it drops (to retry), rejects with a fatal error. */
  const connectOnce = () =>
    new Promise<void>((resolveOnce, rejectOnce) => {
      // Once this connection is over, a frame still arriving on it is not yielded: after an item
      // that was not yielded, the next ones come again, in order, from the resume.
      let over = false;
      const resolve = () => {
        over = true;
        resolveOnce();
      };
      const reject = (error: unknown) => {
        over = true;
        rejectOnce(error);
      };
      const socket = client.createWebSocketClient({
        lazy: true,
        retryAttempts: 0,
        on: {
          connecting: () => setState('connecting'),
          connected: () => setState('live'),
        },
      });
      ws = socket;
      socket.subscribe(
        { query: live.query, variables: live.variables(lastCursor) },
        {
          next: (result) => {
            if (over) return;
            const errors = (result.errors ?? []) as unknown as GraphQLErrorEntry[];
            // Not yielded: the resume from the last cursor replays it complete.
            if (isResumable(errors)) return resolve();
            if (errors.length) {
              reject(errorFromResponse(errors, { data: result.data ?? undefined }));
              return;
            }
            const item = (result.data as Record<string, Item | undefined> | null)?.[live.field];
            if (item) {
              deliver(item, cursorIn(result.extensions) ?? live.cursorOf?.(item) ?? cursorIn(item));
            }
          },
          error: (error) => {
            const mapped = socketError(error);
            if (mapped.errors.length > 0 && isResumable(mapped.errors)) resolve();
            else if (
              mapped instanceof UnauthenticatedError ||
              mapped instanceof ForbiddenError ||
              (mapped instanceof PlatformError && mapped.errors.length > 0)
            )
              reject(mapped);
            else resolve();
          },
          complete: () => resolve(),
        },
      );
    }).finally(() => {
      const socket = ws;
      ws = undefined;
      void socket?.dispose();
    });

  const run = async () => {
    for (let attempt = 0; !closed;) {
      const connectedBefore = delivered;
      const token = client.session?.token;
      try {
        await connectOnce();
      } catch (error) {
        // The gateway closes a socket 4401 when its access token expires: a client keeping its
        // own session renews it and resumes from the last cursor, as after a drop.
        if (error instanceof UnauthenticatedError && (await client.renewSession(token))) continue;
        await finish(error);
        return;
      }
      if (closed) return;
      // A connection that delivered something resets the backoff.
      attempt = delivered > connectedBefore ? 0 : attempt + 1;
      setState('retrying');
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        const timer = setTimeout(resolve, backoffDelay(attempt, baseDelayMs, maxDelayMs));
        (timer as { unref?: () => void }).unref?.();
      });
      wakeUp = undefined;
    }
  };

  options.onStateChange?.(state);
  options.signal?.addEventListener('abort', () => void finish(), { once: true });
  void run();

  const iterator: LiveStream<Item> = {
    get state() {
      return state;
    },
    get lastCursor() {
      return lastCursor;
    },
    next: () =>
      new Promise<IteratorResult<Item>>((resolve, reject) => {
        waiters.push({ resolve, reject });
        flush();
      }),
    return: async () => {
      await finish();
      return { done: true, value: undefined };
    },
    close: () => finish(),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
