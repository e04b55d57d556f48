import type { ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Logger } from '@platform/logger';
import type { OutboxSocket } from '../socket-outbox.js';
import type { SubscriptionStream } from '../source.js';
import type { StreamFraming } from './framing.js';
import { closeRefusal, formatted, type HttpRefusal } from './refusals.js';

/**
 * One HTTP response carrying one subscription, as the pipeline's "socket":
 * - `bufferedAmount` is what Node holds for the client and has not written (`writableLength`),
 *   and a write waits for 'drain' like graphql-ws waits for ws's send callback, so a client that
 *   stops reading leaves results pending in the connection's outbox, which closes it 4008 past
 *   SUBSCRIPTION_BUFFER_LIMIT or SUBSCRIPTION_BUFFER_BYTES, as it closes a slow socket;
 * - `close(code)` (the outbox, or the credential watcher: expired or revoked) ends the stream
 *   with that reason as a transport error;
 * - the client going away (the response closes) ends the subscription, and the transport
 *   releases the connection's place (SOCKETS_PER_USER).
 */
export class ResponseStream implements OutboxSocket {
  private stream: SubscriptionStream | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Set when the stream ends for a reason other than completing: written instead of complete. */
  private ending: HttpRefusal | undefined;
  private finished = false;
  /** The response closed: sent in full, or the client went away. */
  private closed = false;
  /** Wakes a write waiting for 'drain' when the stream is ended instead. */
  private wake: (() => void) | undefined;
  /** A close asked for before the stream opened (its credential failed meanwhile). */
  closedEarly: { code: number; reason: string } | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly framing: StreamFraming,
    private readonly heartbeatMs: number,
    private readonly logger: Logger,
  ) {
    res.once('close', () => {
      this.closed = true;
      this.stream?.end();
      this.wake?.();
    });
  }

  get bufferedAmount(): number {
    return this.res.writableLength;
  }

  /** The client went away (or the response was destroyed). */
  get gone(): boolean {
    return this.closed || this.res.destroyed || this.res.writableEnded;
  }

  close(code: number, reason: string): void {
    if (!this.stream) {
      this.closedEarly ??= { code, reason };
      return;
    }
    this.endWith(closeRefusal({ code, reason }));
  }

  /** Ends the stream with `refusal`'s errors (the gateway stops, a close of the pipeline). */
  endWith(refusal: HttpRefusal): void {
    this.ending ??= refusal;
    this.stream?.end();
    this.wake?.();
  }

  /** Sends the stream's results until it ends, the client leaves or the transport closes it. */
  async run(stream: SubscriptionStream): Promise<void> {
    this.stream = stream;
    const { res, framing } = this;
    res.socket?.setNoDelay(true);
    res.writeHead(200, {
      'content-type': framing.contentType,
      'cache-control': 'no-cache, no-store',
      connection: 'keep-alive',
      // Proxies that buffer responses (nginx) would hold the events back.
      'x-accel-buffering': 'no',
    });
    res.write(framing.opening);
    this.heartbeat = setInterval(() => {
      if (!this.gone && res.writableLength === 0) res.write(framing.heartbeat);
    }, this.heartbeatMs);
    this.heartbeat.unref();
    try {
      for await (const result of stream) {
        if (this.gone) break;
        if (!res.write(framing.next(result))) await this.drained();
      }
    } catch (error) {
      this.ending ??= {
        status: 500,
        errors: formatted([
          error instanceof GraphQLError ? error : new GraphQLError('Internal server error'),
        ]),
      };
    } finally {
      this.finish();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wake = undefined;
        this.res.off('drain', done);
        resolve();
      };
      this.wake = done;
      this.res.once('drain', done);
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.heartbeat);
    if (this.gone) return;
    const overflowed = this.ending?.errors[0]?.extensions?.code === 'BUFFER_LIMIT_EXCEEDED';
    if (this.ending) {
      this.logger.debug({ errors: this.ending.errors }, 'an HTTP subscription stream was ended');
    }
    this.res.end(this.ending ? this.framing.error(this.ending.errors) : this.framing.complete);
    // A client that does not read would keep what is still buffered (and the socket) forever.
    if (overflowed) this.res.destroy();
  }
}
