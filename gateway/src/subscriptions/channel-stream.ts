import { GraphQLError, type ExecutionResult } from 'graphql';
import { ErrorCode, platformError } from '@platform/errors';
import type { Logger } from '@platform/logger';
import type { LiveMessage } from '@platform/realtime';
import { cursorAt, cursorPosition, isAfter, type CursorPosition } from './cursor-order.js';
import type { ChannelListener, LiveChannels, StopListening } from './channels.js';
import {
  isIncomplete,
  isRetryableError,
  resumeLater,
  type DeliveryRetry,
} from './delivery-retry.js';
import { deliveryOutcome, inDeliverySpan } from './delivery-span.js';
import type { OutboxStream, SocketOutbox } from './socket-outbox.js';

/** A replayed entity: its place in the channel's order and what the client is sent. */
export interface ReplayEntry {
  position: CursorPosition;
  result: ExecutionResult;
}

/** Resolves a channel's entities with one subscriber's selection, as that subscriber. */
export interface ChannelResolver {
  /** Undefined when the subscriber cannot see the message's entity (not theirs, or gone). */
  byId(message: LiveMessage): Promise<ExecutionResult | undefined>;
  /** The page after `after`, oldest first; `full` when another page may follow. */
  replayPage(after: CursorPosition): Promise<{ entries: ReplayEntry[]; full: boolean }>;
}

export interface ChannelStreamOptions {
  /** The one Redis channel this stream listens to (the subscriber's own, for notifications). */
  channel: string;
  /** Replay what came after this position before going live (the subscription's `since`). */
  since: CursorPosition | undefined;
  resolver: ChannelResolver;
  channels: LiveChannels;
  outbox: SocketOutbox;
  /**
   * Live messages waiting to be resolved, at most; past it they are folded into one replay from the
   * last cursor sent, which reads the same entities from the store (they are stored first).
   */
  inboxLimit: number;
  /**
   * Retries an entity the resolver could not resolve right now (a retryable error, thrown or in
   * the answer), with backoff, before the stream gives up and ends for the client to resume.
   */
  retry: DeliveryRetry;
  logger: Logger;
  onEnd: () => void;
  /** A live message's frame was handed to the transport to send (the delivery latency metric). */
  onDelivered?: (message: LiveMessage) => void;
}

type ReplayPage = Awaited<ReturnType<ChannelResolver['replayPage']>>;

/** Work for the stream, done one at a time in order. A replay goes before any waiting message. */
type Task =
  | { kind: 'replay'; after: CursorPosition | undefined }
  | { kind: 'message'; message: LiveMessage; position: CursorPosition };

type Waiter = {
  resolve: (result: IteratorResult<ExecutionResult>) => void;
  reject: (error: unknown) => void;
};

const DONE: IteratorResult<ExecutionResult> = { done: true, value: undefined };

/**
 * One subscription of a channel (`notificationAdded`, or a field declared `@live`), as the async
 * iterator graphql-ws sends from:
 * - it listens on its Redis channel BEFORE replaying, so nothing published during the
 *   replay is missed; messages arriving meanwhile wait behind the replay;
 * - with `since`, it replays the field's since-query page by page (oldest first), paced by the
 *   socket;
 * - each live message is resolved through the supergraph with the subscriber's selection;
 * - never skips: an entity that cannot be resolved right now (a subgraph down or slow, a fetch
 *   shed: `delivery-retry.ts`), or is only partly resolved for such a reason, is resolved again
 *   with backoff while later messages wait behind it; once the retries are spent the stream ends
 *   with a retryable SERVICE_UNAVAILABLE and the client resumes `since` its last cursor, which
 *   never moved past what was not sent. Replay pages are retried the same way;
 * - every frame carries its entity's cursor in `extensions.cursor`, whatever the selection;
 * - everything is sent in cursor order and at most once: a cursor at or before the last one sent is
 *   dropped (a redelivered publish, or one the replay already sent);
 * - after a Redis outage it catches up from the last cursor sent;
 * - a client that reads too slowly overflows its socket's outbox, which ends the stream.
 */
export class ChannelStream
  implements AsyncIterableIterator<ExecutionResult>, ChannelListener, OutboxStream
{
  private readonly tasks: Task[] = [];
  private readonly outputs: ExecutionResult[] = [];
  /** The last cursor sent (or the `since` the client already has). */
  private lastSent: CursorPosition | undefined;
  private stopListening: StopListening | undefined;
  private listening = false;
  private working = false;
  /** No more work is taken: unsubscribed, failed or ended. */
  private closed = false;
  private failure: GraphQLError | undefined;
  private waiter: Waiter | undefined;
  private readonly pulls: (() => void)[] = [];
  private finished = false;
  /** Aborted when the stream ends: a retry waiting for its backoff makes no further attempt. */
  private readonly ended = new AbortController();

  constructor(private readonly options: ChannelStreamOptions) {
    this.lastSent = options.since;
    if (options.since !== undefined) this.tasks.push({ kind: 'replay', after: options.since });
    options.outbox.attach(this);
  }

  /** Subscribes the channel, then starts the replay (if any) and live delivery. */
  async start(): Promise<void> {
    try {
      this.stopListening = await this.options.channels.listen(this.options.channel, this);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.closed) {
      this.stopListening();
      return;
    }
    this.listening = true;
    void this.work();
  }

  onMessage(message: LiveMessage): void {
    if (this.closed) return;
    const position = cursorPosition(message.cursor);
    if (position === undefined) {
      this.options.logger.warn({ message }, 'ignored a live message without a valid cursor');
      return;
    }
    if (!isAfter(position, this.lastSent)) return;

    const waiting = this.tasks.filter((task) => task.kind === 'message');
    if (waiting.length >= this.options.inboxLimit) {
      const first = waiting.reduce(
        (min, task) => (task.position < min ? task.position : min),
        position,
      );
      this.tasks.length = 0;
      this.tasks.push({ kind: 'replay', after: first - 1n });
    } else {
      this.tasks.push({ kind: 'message', message, position });
    }
    void this.work();
  }

  onResubscribed(): void {
    if (this.closed || this.lastSent === undefined) return;
    if (this.tasks[0]?.kind !== 'replay') this.tasks.unshift({ kind: 'replay', after: undefined });
    void this.work();
  }

  private async work(): Promise<void> {
    if (this.working || !this.listening) return;
    this.working = true;
    try {
      for (let task = this.tasks.shift(); task && !this.closed; task = this.tasks.shift()) {
        if (task.kind === 'replay') await this.replay(task.after);
        else await this.deliver(task.message, task.position);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.working = false;
    }
  }

  private async replay(from: CursorPosition | undefined): Promise<void> {
    let after = this.lastSent ?? from;
    if (after === undefined) return;
    for (;;) {
      const { entries, full } = await this.resolveReplayPage(after);
      // What comes before an entry that is still incomplete is sent; the client resumes from it.
      const stuck = entries.findIndex((entry) => isIncomplete(entry.result));
      for (const entry of stuck === -1 ? entries : entries.slice(0, stuck)) {
        if (this.closed) return;
        if (!isAfter(entry.position, this.lastSent)) continue;
        await this.roomForReplay();
        if (this.closed) return;
        this.lastSent = entry.position;
        this.options.outbox.reserve();
        this.push(withCursor(entry.result, entry.position));
      }
      if (stuck !== -1) throw this.givenUp(entries[stuck]!.result.errors?.find(isRetryableError));
      const last = entries.at(-1);
      if (!full || !last || this.closed) return;
      after = last.position;
    }
  }

  /** In a span of the message's trace (delivery-span.ts), with what became of it. */
  private deliver(message: LiveMessage, position: CursorPosition): Promise<void> {
    return inDeliverySpan(this.options.channel, message, async (span) => {
      if (!isAfter(position, this.lastSent)) return deliveryOutcome(span, 'already_sent');
      const result = await this.retrying(
        () => this.options.resolver.byId(message),
        (answer) => answer !== undefined && isIncomplete(answer),
      );
      if (this.closed || !isAfter(position, this.lastSent)) {
        return deliveryOutcome(span, 'already_sent');
      }
      if (!result) {
        this.options.logger.debug({ message }, 'entity not visible to its subscriber; skipped');
        return deliveryOutcome(span, 'not_visible');
      }
      if (isIncomplete(result)) throw this.givenUp(result.errors?.find(isRetryableError));
      this.lastSent = position;
      if (!this.options.outbox.admit()) return deliveryOutcome(span, 'outbox_full');
      this.push(withCursor(result, position));
      this.options.onDelivered?.(message);
      deliveryOutcome(span, 'sent');
    });
  }

  private resolveReplayPage(after: CursorPosition): Promise<ReplayPage> {
    return this.retrying(
      () => this.options.resolver.replayPage(after),
      (page) => page.entries.some((entry) => isIncomplete(entry.result)),
    );
  }

  /** The resolution, retried while it is transient; a retryable error thrown at the end ends it. */
  private async retrying<T>(resolve: () => Promise<T>, isTransient: (result: T) => boolean) {
    try {
      return await this.options.retry(resolve, isTransient, this.ended.signal);
    } catch (error) {
      throw isRetryableError(error) ? this.givenUp(error) : error;
    }
  }

  /** Debug, not warn: an outage ends every stream it stalls; the fetch layer logs it once. */
  private givenUp(cause: unknown): GraphQLError {
    this.options.logger.debug(
      { cause: (cause as GraphQLError | undefined)?.message },
      'a live entity could not be resolved within its retries; the stream ends for the client to resume',
    );
    return resumeLater(cause);
  }

  /** Replayed messages wait while the socket is full, unless this stream has nothing queued. */
  private async roomForReplay(): Promise<void> {
    while (!this.closed && this.outputs.length > 0 && !this.options.outbox.hasRoom()) {
      await new Promise<void>((resolve) => this.pulls.push(resolve));
    }
  }

  private push(result: ExecutionResult): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      this.options.outbox.release();
      waiter.resolve({ done: false, value: result });
    } else {
      this.outputs.push(result);
    }
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.outputs.shift();
    if (value) {
      this.options.outbox.release();
      for (const resolve of this.pulls.splice(0)) resolve();
      return { done: false, value };
    }
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      this.end();
      throw failure;
    }
    if (this.closed) return DONE;
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    return DONE;
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.end();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends now: stops listening, drops what was not sent yet. Safe to call more than once. */
  end(): void {
    this.closed = true;
    this.options.outbox.release(this.outputs.length);
    this.outputs.length = 0;
    this.failure = undefined;
    this.stop();
    this.waiter?.resolve(DONE);
    this.waiter = undefined;
    this.finish();
  }

  /** Stops taking work; what is queued is still sent, then the error. */
  private fail(error: unknown): void {
    if (this.closed) return;
    const failure = asClientError(error, this.options.logger);
    this.closed = true;
    this.stop();
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      this.end();
      waiter.reject(failure);
    } else {
      this.failure = failure;
    }
  }

  private stop(): void {
    this.ended.abort();
    this.tasks.length = 0;
    for (const resolve of this.pulls.splice(0)) resolve();
    this.stopListening?.();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.options.outbox.detach(this);
    this.options.onEnd();
  }
}

/** The frame of an entity, with its cursor whatever the client selected. */
function withCursor(result: ExecutionResult, position: CursorPosition): ExecutionResult {
  return { ...result, extensions: { ...result.extensions, cursor: cursorAt(position) } };
}

function asClientError(error: unknown, logger: Logger): GraphQLError {
  if (error instanceof GraphQLError && error.extensions.code !== undefined) return error;
  logger.error({ err: error }, 'a channel subscription failed');
  return platformError(ErrorCode.InternalServerError, 'Internal server error');
}
