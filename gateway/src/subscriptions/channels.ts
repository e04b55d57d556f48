import type { RedisConnection } from '@platform/redis';
import { platformError } from '@platform/errors';
import type { Logger } from '@platform/logger';
import { decodeLiveMessage, type LiveMessage } from '@platform/realtime';
import { redisOutage } from '../redis/index.js';

/** Someone who needs one channel's messages. */
export interface ChannelListener {
  onMessage(message: LiveMessage): void;
  /** Redis is back after an outage: whatever was published meanwhile never arrived. */
  onResubscribed(): void;
}

/** Stops listening; the channel is unsubscribed when its last listener stops. */
export type StopListening = () => void;

/**
 * The Redis side of `@platform/realtime` in a gateway process: ONE subscriber connection shared by
 * every socket and every live field, each channel (a recipient's notifications, a project's
 * documents) subscribed while at least one subscription needs it.
 */
export interface LiveChannels {
  /** Resolves once Redis has confirmed the channel, so nothing published after that is missed. */
  listen(channel: string, listener: ChannelListener): Promise<StopListening>;
  /** Channels with at least one listener. */
  channelCount(): number;
  close(): Promise<void>;
}

export interface LiveChannelsOptions {
  /** The gateway's subscriber connection (`connectRedis(target, 'subscriber')`); its owner closes it. */
  redis: RedisConnection;
  logger: Logger;
  /** Each live message, once per process, before its channel's listeners get it. */
  onMessage?: (channel: string, message: LiveMessage) => void;
}

interface Channel {
  listeners: Set<ChannelListener>;
  /** Settles when Redis has answered this channel's SUBSCRIBE. */
  subscribed: Promise<unknown>;
}

/**
 * The connection is made on the first subscription (a gateway nobody subscribes to never touches
 * Redis) and reconnects with ioredis's retry for as long as Redis is away; HTTP traffic never waits
 * on it. While Redis is away a new subscription waits, and fails SERVICE_UNAVAILABLE once ioredis
 * gives up on the command. Messages that are not live messages are logged and dropped.
 */
export function liveChannels({ redis, logger, onMessage }: LiveChannelsOptions): LiveChannels {
  const log = logger.child({ component: 'live-channels' });
  const channels = new Map<string, Channel>();
  let closed = false;
  let connectedBefore = false;
  const outage = redisOutage(log, {
    down: 'Redis subscriber connection failed; reconnecting',
    up: 'Redis subscriber reconnected',
  });

  redis.on('message', (name: string, raw: string) => {
    const channel = channels.get(name);
    if (!channel) return;
    const message = decodeLiveMessage(raw);
    if (!message) {
      log.warn({ channel: name, raw: raw.slice(0, 200) }, 'ignored a malformed live message');
      return;
    }
    onMessage?.(name, message);
    for (const listener of [...channel.listeners]) listener.onMessage(message);
  });
  redis.on('error', (error: Error) => {
    if (!closed) outage.failed({ err: error });
  });
  redis.on('ready', () => {
    const reconnected = connectedBefore;
    connectedBefore = true;
    if (!reconnected) return;
    outage.answered({ channels: channels.size });
    void resubscribeAll();
  });

  /**
   * ioredis resubscribes by itself; this waits for Redis's confirmation before telling listeners,
   * so a catch-up they start cannot miss a message published in between.
   */
  async function resubscribeAll() {
    const names = [...channels.keys()];
    if (names.length === 0) return;
    try {
      await redis.subscribe(...names);
    } catch (error) {
      log.warn({ err: error }, 'resubscribing after a Redis outage failed');
      return;
    }
    for (const name of names) {
      for (const listener of [...(channels.get(name)?.listeners ?? [])]) listener.onResubscribed();
    }
  }

  function unsubscribe(name: string) {
    redis.unsubscribe(name).catch((error: unknown) => {
      if (!closed) log.warn({ err: error, channel: name }, 'unsubscribing a channel failed');
    });
  }

  return {
    async listen(name, listener) {
      if (closed) throw unavailable();
      let channel = channels.get(name);
      if (!channel) {
        const created: Channel = { listeners: new Set(), subscribed: redis.subscribe(name) };
        created.subscribed.catch(() => {
          if (channels.get(name) === created) channels.delete(name);
        });
        channels.set(name, created);
        channel = created;
      }
      channel.listeners.add(listener);

      const current = channel;
      let listening = true;
      const stop: StopListening = () => {
        if (!listening) return;
        listening = false;
        current.listeners.delete(listener);
        if (current.listeners.size === 0 && channels.get(name) === current) {
          channels.delete(name);
          if (!closed) unsubscribe(name);
        }
      };
      try {
        await current.subscribed;
      } catch (error) {
        stop();
        log.warn({ err: error, channel: name }, 'subscribing a live channel failed');
        throw unavailable();
      }
      return stop;
    },

    channelCount: () => channels.size,

    async close() {
      closed = true;
      channels.clear();
    },
  };
}

const unavailable = () =>
  platformError('SERVICE_UNAVAILABLE', 'Live updates are unavailable right now; try again');
