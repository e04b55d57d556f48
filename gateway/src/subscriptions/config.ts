import { z } from 'zod';
import type { SettingsOf } from '@platform/config';
import type { SocketOutboxLimits } from './socket-outbox.js';

/** The subscription side's environment variables, a shape the gateway's config schema extends. */
export const subscriptionSettings = {
  /** graphql-ws server ping interval; a socket that has not answered by the next one is cut. */
  KEEPALIVE_MS: z.coerce.number().int().positive().default(15_000),
  /** Messages one socket may have waiting for a slow client before it is closed 4008. */
  SUBSCRIPTION_BUFFER_LIMIT: z.coerce.number().int().min(1).default(100),
  /** Bytes ws may have queued for one socket's client before it is closed 4008. */
  SUBSCRIPTION_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
};

export type SubscriptionSettings = SettingsOf<typeof subscriptionSettings>;

export interface SubscriptionConfig {
  keepAliveMs: number;
  limits: SocketOutboxLimits;
}

export const subscriptionConfig = (settings: SubscriptionSettings): SubscriptionConfig => ({
  keepAliveMs: settings.KEEPALIVE_MS,
  limits: {
    maxPending: settings.SUBSCRIPTION_BUFFER_LIMIT,
    maxBufferedBytes: settings.SUBSCRIPTION_BUFFER_BYTES,
  },
});
