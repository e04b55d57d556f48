import { hashTagged, type RedisConnection } from '@platform/redis';
import type { ChargeOutcome, TokenBucketStore } from './bucket-store.js';

/**
 * The token buckets in Redis: one script, so refill, check and charge are one atomic step however
 * many gateway processes share the buckets. It mirrors `takeFromAll` in token-bucket.ts (several
 * buckets charged as one: all or none), using Redis server time (TIME) so the gateways' clocks do
 * not matter. Each hash `{ tokens, updated_at_ms }` expires once the bucket would be full again
 * (plus a margin): an absent bucket is a full one.
 *
 * KEYS the buckets; ARGV cost, expiry margin in ms, then capacity and refill per second of each.
 * Returns { allowed (1|0), remaining, resetSeconds, retryAfterSeconds (-1: the cost exceeds a
 * capacity and can never pass), binding (1-based index of the bucket with the fewest tokens) },
 * whole numbers since Redis truncates Lua numbers to integers.
 */
const TOKEN_BUCKET_LUA = `
local cost = tonumber(ARGV[1])
local margin_ms = tonumber(ARGV[2])
local slack = 1e-9

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000

local buckets = {}
local over_capacity = false
local fits = true
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local refill = tonumber(ARGV[2 + 2 * i])
  local stored = redis.call('HMGET', KEYS[i], 'tokens', 'updated_at_ms')
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
  if cost > capacity then over_capacity = true end
  if cost > tokens + slack then fits = false end
  buckets[i] = { capacity = capacity, refill = refill, tokens = tokens, updated_at = updated_at }
end

local allowed = 0
if not over_capacity and fits then allowed = 1 end
local retry_after = 0
local reset = 0
local binding = 1
for i, bucket in ipairs(buckets) do
  if allowed == 1 then
    bucket.tokens = math.max(0, bucket.tokens - cost)
  elseif not over_capacity and cost > bucket.tokens + slack then
    retry_after = math.max(retry_after, math.ceil((cost - bucket.tokens) / bucket.refill - slack))
  end
end
for i, bucket in ipairs(buckets) do
  local seconds_to_full = (bucket.capacity - bucket.tokens) / bucket.refill
  reset = math.max(reset, math.ceil(seconds_to_full - slack))
  if math.floor(bucket.tokens + slack) < math.floor(buckets[binding].tokens + slack) then
    binding = i
  end
  redis.call('HSET', KEYS[i],
    'tokens', string.format('%.17g', bucket.tokens),
    'updated_at_ms', string.format('%.17g', bucket.updated_at))
  redis.call('PEXPIRE', KEYS[i], string.format('%d', math.ceil(seconds_to_full * 1000) + margin_ms))
end
if over_capacity then retry_after = -1 end
return {
  allowed,
  math.max(0, math.floor(buckets[binding].tokens + slack)),
  math.max(0, reset),
  math.max(-1, retry_after),
  binding
}
`;

/** How long a bucket outlives the moment it would be full again. */
const EXPIRY_MARGIN_MS = 1000;

const COMMAND = 'platformRateLimitTakeTokens';

type TakeTokensCommand = (numberOfKeys: number, ...keysAndArgs: string[]) => Promise<unknown>;

/**
 * The token buckets in Redis, shared by every gateway process on it. Registers the script on the
 * client (`defineCommand`: EVALSHA, and EVAL when Redis does not have it cached yet); `take` is one
 * script run. Ready while the connection is: a lazyConnect client that has not connected yet is
 * started by the first `ready()` (it would connect on its first command, which is never sent).
 */
export function redisTokenBucket(redis: RedisConnection): TokenBucketStore {
  redis.defineCommand(COMMAND, { lua: TOKEN_BUCKET_LUA });
  const command = (redis as unknown as Record<typeof COMMAND, TakeTokensCommand>)[COMMAND];
  return {
    ready() {
      if (redis.status === 'ready') return true;
      if (redis.status === 'wait') redis.connect().catch(() => undefined);
      return false;
    },
    async take(charges, cost) {
      const reply = await command.call(
        redis,
        charges.length,
        ...bucketKeys(redis, charges),
        String(cost),
        String(EXPIRY_MARGIN_MS),
        ...charges.flatMap(({ limits }) => [
          String(limits.capacity),
          String(limits.refillPerSecond),
        ]),
      );
      return outcomeOf(reply, charges.length);
    },
  };
}

/**
 * The keys of one charge's buckets. On a cluster one script's keys must share a slot, so every
 * bucket is tagged with the first (the caller's own budget, `{ratelimit:user:7}`), an API key's cap
 * after it (`{ratelimit:user:7}ratelimit:apikey:3`: a key belongs to one user, so its cap bucket
 * keeps one name); the buckets of different callers still spread over the slots. A standalone
 * server keeps the plain names.
 */
function bucketKeys(redis: RedisConnection, charges: readonly { key: string }[]): string[] {
  const [first, ...others] = charges.map((charge) => charge.key);
  if (first === undefined || !redis.isCluster) return charges.map((charge) => charge.key);
  const tag = hashTagged(redis, first);
  return [tag, ...others.map((key) => tag + key)];
}

function outcomeOf(reply: unknown, buckets: number): ChargeOutcome {
  if (!Array.isArray(reply) || reply.length !== 5 || !reply.every(Number.isInteger)) {
    throw new Error(`unexpected token bucket reply: ${JSON.stringify(reply)}`);
  }
  const [allowed, remaining, resetSeconds, retryAfterSeconds, binding] = reply as number[];
  if (binding! < 1 || binding! > buckets) {
    throw new Error(`unexpected token bucket reply: ${JSON.stringify(reply)}`);
  }
  return {
    allowed: allowed === 1,
    remaining: remaining!,
    resetSeconds: resetSeconds!,
    retryAfterSeconds: retryAfterSeconds! < 0 ? null : retryAfterSeconds!,
    binding: binding! - 1,
  };
}
