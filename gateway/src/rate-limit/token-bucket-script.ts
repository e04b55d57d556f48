import type { Redis } from 'ioredis';
import type { TokenBucketStore } from './bucket-store.js';
import type { BucketOutcome } from './token-bucket.js';

/**
 * The token bucket in Redis: one script, so refill, check and charge are one atomic step however
 * many gateway processes share the bucket. It mirrors `takeTokens` in token-bucket.ts, using Redis
 * server time (TIME) so the gateways' clocks do not matter. The hash `{ tokens, updated_at_ms }`
 * expires once the bucket would be full again (plus a margin): an absent bucket is a full one.
 *
 * KEYS[1] the bucket; ARGV capacity, refill per second, cost, expiry margin in ms.
 * Returns { allowed (1|0), remaining, resetSeconds, retryAfterSeconds (-1: the cost exceeds the
 * capacity and can never pass) }, whole numbers since Redis truncates Lua numbers to integers.
 */
const TOKEN_BUCKET_LUA = `
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local margin_ms = tonumber(ARGV[4])
local slack = 1e-9

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000

local stored = redis.call('HMGET', KEYS[1], 'tokens', 'updated_at_ms')
local tokens = tonumber(stored[1])
local updated_at = tonumber(stored[2])
if tokens == nil or updated_at == nil then
  tokens = capacity
  updated_at = now
elseif now > updated_at then
  tokens = tokens + (now - updated_at) * refill / 1000
  updated_at = now
end
if tokens > capacity then tokens = capacity end

local allowed = 0
local retry_after = 0
if cost > capacity then
  retry_after = -1
elseif cost <= tokens + slack then
  tokens = math.max(0, tokens - cost)
  allowed = 1
else
  retry_after = math.max(0, math.ceil((cost - tokens) / refill - slack))
end

local seconds_to_full = (capacity - tokens) / refill
redis.call('HSET', KEYS[1],
  'tokens', string.format('%.17g', tokens),
  'updated_at_ms', string.format('%.17g', updated_at))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil(seconds_to_full * 1000) + margin_ms))
return {
  allowed,
  math.max(0, math.floor(tokens + slack)),
  math.max(0, math.ceil(seconds_to_full - slack)),
  retry_after
}
`;

/** How long a bucket outlives the moment it would be full again. */
const EXPIRY_MARGIN_MS = 1000;

const COMMAND = 'platformRateLimitTakeTokens';

type TakeTokensCommand = (key: string, ...args: string[]) => Promise<unknown>;

/**
 * The token buckets in Redis, shared by every gateway process on it. Registers the script on the
 * client (`defineCommand`: EVALSHA, and EVAL when Redis does not have it cached yet); `take` is one
 * script run. Ready while the connection is: a lazyConnect client that has not connected yet is
 * started by the first `ready()` (it would connect on its first command, which is never sent).
 */
export function redisTokenBucket(redis: Redis): TokenBucketStore {
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
  const command = (redis as unknown as Record<typeof COMMAND, TakeTokensCommand>)[COMMAND];
  return {
    ready() {
      if (redis.status === 'ready') return true;
      if (redis.status === 'wait') redis.connect().catch(() => undefined);
      return false;
    },
    async take(key, { capacity, refillPerSecond }, cost) {
      const reply = await command.call(
        redis,
        key,
        String(capacity),
        String(refillPerSecond),
        String(cost),
        String(EXPIRY_MARGIN_MS),
      );
      return outcomeOf(reply);
    },
  };
}

function outcomeOf(reply: unknown): BucketOutcome {
  if (!Array.isArray(reply) || reply.length !== 4 || !reply.every(Number.isInteger)) {
    throw new Error(`unexpected token bucket reply: ${JSON.stringify(reply)}`);
  }
  const [allowed, remaining, resetSeconds, retryAfterSeconds] = reply as number[];
  return {
    allowed: allowed === 1,
    remaining: remaining!,
    resetSeconds: resetSeconds!,
    retryAfterSeconds: retryAfterSeconds! < 0 ? null : retryAfterSeconds!,
  };
}
