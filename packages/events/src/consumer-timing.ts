import { z } from 'zod';

/**
 * How fast a consumer group notices a member is gone, the environment variables every service
 * that consumes events spreads into its config schema (`...consumerTimingSettings`).
 *
 * kafkajs's defaults (30 s session, 60 s rebalance) made a restarted service wait 23-30 s: its
 * new member's join is held until the coordinator drops the old, crashed member, which happens
 * only when that member's session times out. A member that stops cleanly leaves the group at once
 * (EventConsumer.stop), so the session timeout only matters after a crash.
 * - 10 s session: a crash is noticed within 10 s. The broker refuses less than its
 *   group.min.session.timeout.ms (6 s by default), and a shorter session would evict a member
 *   whose event loop stalls for a few seconds (start-up compilation, a GC pause on a busy 2-core
 *   machine), which costs a rebalance of the whole group each time.
 * - 3 s heartbeats: about a third of the session, as Kafka recommends, so two heartbeats can be
 *   lost before the session ends. kafkajs heartbeats between messages, so one handler must not
 *   run longer than the session.
 * - 20 s rebalance: how long the live members have to finish the message in hand and rejoin;
 *   handlers take milliseconds, and a member that takes longer is dropped and rejoins.
 */
export const DEFAULT_CONSUMER_TIMING = {
  sessionTimeout: 10_000,
  heartbeatInterval: 3_000,
  rebalanceTimeout: 20_000,
} as const satisfies ConsumerTiming;

export const consumerTimingSettings = {
  /** A member that sends no heartbeat for this long (it crashed) is dropped from its group. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(6_000, 'must be at least 6000 (the broker default group.min.session.timeout.ms)')
    .default(DEFAULT_CONSUMER_TIMING.sessionTimeout),
  /** How often a member tells the coordinator it is alive; below the session timeout. */
  KAFKA_HEARTBEAT_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(DEFAULT_CONSUMER_TIMING.heartbeatInterval),
  /** How long the coordinator waits for live members to rejoin during a rebalance. */
  KAFKA_REBALANCE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(DEFAULT_CONSUMER_TIMING.rebalanceTimeout),
};

export type ConsumerTimingSettings = {
  [Name in keyof typeof consumerTimingSettings]: z.output<(typeof consumerTimingSettings)[Name]>;
};

/** The kafkajs consumer options of these settings. */
export interface ConsumerTiming {
  sessionTimeout: number;
  heartbeatInterval: number;
  rebalanceTimeout: number;
}

/** The timing of parsed settings; a heartbeat interval not below the session timeout is refused. */
export function consumerTiming(settings: ConsumerTimingSettings): ConsumerTiming {
  if (settings.KAFKA_HEARTBEAT_INTERVAL_MS >= settings.KAFKA_SESSION_TIMEOUT_MS) {
    throw new Error(
      `KAFKA_HEARTBEAT_INTERVAL_MS (${settings.KAFKA_HEARTBEAT_INTERVAL_MS}) must be below KAFKA_SESSION_TIMEOUT_MS (${settings.KAFKA_SESSION_TIMEOUT_MS})`,
    );
  }
  return {
    sessionTimeout: settings.KAFKA_SESSION_TIMEOUT_MS,
    heartbeatInterval: settings.KAFKA_HEARTBEAT_INTERVAL_MS,
    rebalanceTimeout: settings.KAFKA_REBALANCE_TIMEOUT_MS,
  };
}
