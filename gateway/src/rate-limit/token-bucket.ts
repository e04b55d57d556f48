/**
 * Token-bucket arithmetic, shared by the Redis script (`token-bucket-script.ts`, which mirrors it
 * line for line in Lua) and the per-process fallback. A bucket holds up to `capacity` tokens and
 * gains `refillPerSecond` tokens per second; a charge of `cost` passes when that many tokens are
 * there, and then takes them.
 */
export interface BucketLimits {
  capacity: number;
  refillPerSecond: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was last brought up to date, in milliseconds on the bucket's clock. */
  updatedAtMs: number;
}

export interface BucketOutcome {
  allowed: boolean;
  /** Whole tokens left after this charge. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until this cost could pass: 0 when it passed, null when it never can (cost > capacity). */
  retryAfterSeconds: number | null;
}

/** Absorbs floating-point noise so that 2.9999999999 tokens count as 3 and 4.0000000001 s as 4. */
export const ROUNDING_SLACK = 1e-9;

export const wholeTokens = (tokens: number): number =>
  Math.max(0, Math.floor(tokens + ROUNDING_SLACK));
export const wholeSeconds = (seconds: number): number =>
  Math.max(0, Math.ceil(seconds - ROUNDING_SLACK));

/** Refills the bucket up to `nowMs`, charges `cost` if it fits, and says what happened. */
export function takeTokens(
  state: BucketState | undefined,
  nowMs: number,
  limits: BucketLimits,
  cost: number,
): { state: BucketState; outcome: BucketOutcome } {
  const { capacity, refillPerSecond } = limits;
  let tokens = state?.tokens ?? capacity;
  const updatedAtMs = state ? Math.max(state.updatedAtMs, nowMs) : nowMs;
  if (state && nowMs > state.updatedAtMs) {
    tokens += ((nowMs - state.updatedAtMs) * refillPerSecond) / 1000;
  }
  tokens = Math.min(tokens, capacity);

  let allowed = false;
  let retryAfterSeconds: number | null = 0;
  if (cost > capacity) {
    retryAfterSeconds = null;
  } else if (cost <= tokens + ROUNDING_SLACK) {
    tokens = Math.max(0, tokens - cost);
    allowed = true;
  } else {
    retryAfterSeconds = wholeSeconds((cost - tokens) / refillPerSecond);
  }
  return {
    state: { tokens, updatedAtMs },
    outcome: {
      allowed,
      remaining: wholeTokens(tokens),
      resetSeconds: wholeSeconds((capacity - tokens) / refillPerSecond),
      retryAfterSeconds,
    },
  };
}
