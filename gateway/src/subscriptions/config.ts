import { z } from 'zod';
import type { SettingsOf } from '@platform/config';
import type { DeliveryRetrySettings } from './delivery-retry.js';
import type { SocketOutboxLimits } from './socket-outbox.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The subscription side's environment variables, a shape the gateway's config schema extends. */
export const subscriptionSettings = {
  /** graphql-ws server ping interval; a socket that has not answered by the next one is cut. */
  KEEPALIVE_MS: positiveInt(15_000),
  /** Messages one socket may have waiting for a slow client before it is closed 4008. */
  SUBSCRIPTION_BUFFER_LIMIT: z.coerce.number().int().min(1).default(100),
  /** Bytes ws may have queued for one socket's client before it is closed 4008. */
  SUBSCRIPTION_BUFFER_BYTES: positiveInt(1024 * 1024),
  /** Subscriptions one socket may hold at once; one more is refused SUBSCRIPTION_LIMIT_EXCEEDED. */
  SUBSCRIPTIONS_PER_SOCKET: positiveInt(10),
  /** Sockets one user may hold open on one gateway process; one more is closed 4420. */
  SOCKETS_PER_USER: positiveInt(10),
  /** Internal queries subscriptions may run at once in one process; the rest wait their turn. */
  SUBSCRIPTION_RESOLVE_CONCURRENCY: positiveInt(8),
  /** How often an API-key socket checks its key again (revocation); JWT sockets close at `exp`. */
  SUBSCRIPTION_REAUTH_SECONDS: positiveInt(10),
  /**
   * Attempts at resolving one live entity (the first included) while its answer has a retryable
   * error (a subgraph down or too slow, a fetch shed); then the stream ends with a retryable
   * SERVICE_UNAVAILABLE and the client resumes `since` its last cursor. 1: no retry.
   */
  SUBSCRIPTION_RETRY_ATTEMPTS: positiveInt(8),
  /** The first backoff between those attempts, before jitter; later ones double. */
  SUBSCRIPTION_RETRY_BASE_MS: positiveInt(200),
  /** The longest backoff between those attempts. */
  SUBSCRIPTION_RETRY_MAX_MS: positiveInt(5_000),
  /** SSE and multipart HTTP subscriptions send a heartbeat this often (a comment line, `{}`). */
  SUBSCRIPTION_HEARTBEAT_SECONDS: positiveInt(10),
};

export type SubscriptionSettings = SettingsOf<typeof subscriptionSettings>;

export interface SubscriptionCaps {
  /** SUBSCRIPTIONS_PER_SOCKET */
  subscriptionsPerSocket: number;
  /** SOCKETS_PER_USER */
  socketsPerUser: number;
}

export interface SubscriptionConfig {
  keepAliveMs: number;
  limits: SocketOutboxLimits;
  caps: SubscriptionCaps;
  /** SUBSCRIPTION_RESOLVE_CONCURRENCY */
  resolveConcurrency: number;
  /** SUBSCRIPTION_REAUTH_SECONDS, in ms. */
  reauthenticateEveryMs: number;
  /** SUBSCRIPTION_RETRY_ATTEMPTS, SUBSCRIPTION_RETRY_BASE_MS, SUBSCRIPTION_RETRY_MAX_MS */
  deliveryRetry: DeliveryRetrySettings;
  /** SUBSCRIPTION_HEARTBEAT_SECONDS, in ms. */
  heartbeatMs: number;
}

export const subscriptionConfig = (settings: SubscriptionSettings): SubscriptionConfig => ({
  keepAliveMs: settings.KEEPALIVE_MS,
  limits: {
    maxPending: settings.SUBSCRIPTION_BUFFER_LIMIT,
    maxBufferedBytes: settings.SUBSCRIPTION_BUFFER_BYTES,
  },
  caps: {
    subscriptionsPerSocket: settings.SUBSCRIPTIONS_PER_SOCKET,
    socketsPerUser: settings.SOCKETS_PER_USER,
  },
  resolveConcurrency: settings.SUBSCRIPTION_RESOLVE_CONCURRENCY,
  reauthenticateEveryMs: settings.SUBSCRIPTION_REAUTH_SECONDS * 1000,
  deliveryRetry: {
    attempts: settings.SUBSCRIPTION_RETRY_ATTEMPTS,
    baseDelayMs: settings.SUBSCRIPTION_RETRY_BASE_MS,
    maxDelayMs: settings.SUBSCRIPTION_RETRY_MAX_MS,
  },
  heartbeatMs: settings.SUBSCRIPTION_HEARTBEAT_SECONDS * 1000,
});
