import { SocketClose } from './close-codes.js';

/** What the outbox needs of a ws socket. */
export interface OutboxSocket {
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

/** Something holding messages for the socket, ended at once when the socket overflows. */
export interface OutboxStream {
  end(): void;
}

export interface SocketOutboxLimits {
  /** Messages waiting for the client, over all the socket's subscriptions (SUBSCRIPTION_BUFFER_LIMIT). */
  maxPending: number;
  /** Bytes ws has queued for the client and not yet written (SUBSCRIPTION_BUFFER_BYTES). */
  maxBufferedBytes: number;
}

/**
 * Bounds what one socket may hold for a client that reads slower than its notifications arrive.
 * graphql-ws sends one message at a time and waits until ws has written it, so a client that stops
 * reading leaves messages pending here (and bytes in ws's buffer). Past either limit the socket is
 * closed 4008 'Buffer limit exceeded' and its subscriptions end at once, releasing their Redis
 * channels without waiting for the close handshake; the client may reconnect and resume `since`.
 */
export class SocketOutbox {
  private pending = 0;
  private overflowed = false;
  private readonly streams = new Set<OutboxStream>();

  constructor(
    private readonly socket: OutboxSocket,
    private readonly limits: SocketOutboxLimits,
  ) {}

  attach(stream: OutboxStream): void {
    this.streams.add(stream);
  }

  detach(stream: OutboxStream): void {
    this.streams.delete(stream);
  }

  /** A live message joins the queue; false (and the socket closing) when that is over a limit. */
  admit(): boolean {
    if (this.overflowed) return false;
    this.pending += 1;
    if (this.pending > this.limits.maxPending || this.isOverBytes()) {
      this.overflow();
      return false;
    }
    return true;
  }

  /**
   * A replayed message joins the queue. Replays are paced by `hasRoom` instead of being refused: the
   * gateway reads them at its own speed, so they never push a socket over its limit.
   */
  reserve(): void {
    this.pending += 1;
  }

  /** Messages left the queue (sent to ws, or dropped with their subscription). */
  release(count = 1): void {
    this.pending = Math.max(0, this.pending - count);
  }

  hasRoom(): boolean {
    return !this.overflowed && this.pending < this.limits.maxPending && !this.isOverBytes();
  }

  get pendingCount(): number {
    return this.pending;
  }

  private isOverBytes(): boolean {
    return this.socket.bufferedAmount > this.limits.maxBufferedBytes;
  }

  private overflow(): void {
    this.overflowed = true;
    this.socket.close(SocketClose.BufferLimitExceeded.code, SocketClose.BufferLimitExceeded.reason);
    for (const stream of [...this.streams]) stream.end();
  }
}
