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
  const { states, outcome } = takeFromAll([state], nowMs, [limits], cost);
  return { state: states[0]!, outcome };
}

/**
 * Several buckets charged as one (a user's budget and an API key's own cap): refilled up to
 * `nowMs`, `cost` taken from every one if each holds it, else from none. The outcome is the
 * tightest's: the fewest tokens left, the longest wait, and `binding`, the index of the bucket
 * with the fewest tokens left (whose capacity the RateLimit-Limit header reports).
 */
export function takeFromAll(
  states: readonly (BucketState | undefined)[],
  nowMs: number,
  limits: readonly BucketLimits[],
  cost: number,
): { states: BucketState[]; outcome: BucketOutcome; binding: number } {
  const refilled = limits.map((bucket, i) => refill(states[i], nowMs, bucket));
  const overCapacity = limits.some((bucket) => cost > bucket.capacity);
  const fits = refilled.every((state) => cost <= state.tokens + ROUNDING_SLACK);
  const allowed = !overCapacity && fits;
  const after = refilled.map((state) =>
    allowed ? { ...state, tokens: Math.max(0, state.tokens - cost) } : state,
  );
  let retryAfterSeconds: number | null = 0;
  if (overCapacity) retryAfterSeconds = null;
  else if (!allowed) {
    retryAfterSeconds = Math.max(
      ...after.map((state, i) =>
        cost > state.tokens + ROUNDING_SLACK
          ? wholeSeconds((cost - state.tokens) / limits[i]!.refillPerSecond)
          : 0,
      ),
    );
  }
  let binding = 0;
  after.forEach((state, i) => {
    if (wholeTokens(state.tokens) < wholeTokens(after[binding]!.tokens)) binding = i;
  });
  return {
    states: after,
    binding,
    outcome: {
      allowed,
      remaining: wholeTokens(after[binding]!.tokens),
      resetSeconds: Math.max(
        ...after.map((state, i) =>
          wholeSeconds((limits[i]!.capacity - state.tokens) / limits[i]!.refillPerSecond),
        ),
      ),
      retryAfterSeconds,
    },
  };
}

/** The bucket brought up to `nowMs`: refilled by the time elapsed, never above capacity. */
function refill(
  state: BucketState | undefined,
  nowMs: number,
  { capacity, refillPerSecond }: BucketLimits,
): BucketState {
  let tokens = state?.tokens ?? capacity;
  const updatedAtMs = state ? Math.max(state.updatedAtMs, nowMs) : nowMs;
  if (state && nowMs > state.updatedAtMs) {
    tokens += ((nowMs - state.updatedAtMs) * refillPerSecond) / 1000;
  }
  return { tokens: Math.min(tokens, capacity), updatedAtMs };
}
