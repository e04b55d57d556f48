/**
 * The two writes of the response cache, each one atomic Lua script so no invalidation can fall
 * between a check and a write, whichever gateway processes share the Redis.
 *
 * Invalidation bumps a global sequence and stamps each invalidated tag with it. A lookup reads the
 * sequence before the subgraphs are asked; the store that follows is refused when any of its tags
 * was stamped later, since the response may hold what that invalidation removed (a read that
 * raced a write must not bring the old value back for maxAge seconds).
 */

/**
 * KEYS[1] the response key; then per tag: its set of response keys, its invalidation stamp.
 * ARGV entry JSON, TTL seconds, the sequence read at lookup.
 * Returns 1 when stored, 0 when refused because a tag was invalidated since the lookup.
 */
export const STORE_RESPONSE_LUA = `
local seen = tonumber(ARGV[3])
for i = 2, #KEYS, 2 do
  local stamp = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  if stamp > seen then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
for i = 2, #KEYS, 2 do
  redis.call('SADD', KEYS[i], KEYS[1])
  redis.call('EXPIRE', KEYS[i], ARGV[2], 'NX')
  redis.call('EXPIRE', KEYS[i], ARGV[2], 'GT')
end
return 1
`;

/**
 * KEYS[1] the invalidation sequence; then per tag: its set of response keys, its invalidation
 * stamp. ARGV stamp TTL seconds. Deletes every response key in the tag sets and the sets.
 * Returns how many responses were deleted.
 */
export const INVALIDATE_TAGS_LUA = `
local sequence = redis.call('INCR', KEYS[1])
local deleted = 0
for i = 2, #KEYS, 2 do
  redis.call('SET', KEYS[i + 1], sequence, 'EX', ARGV[1])
  local keys = redis.call('SMEMBERS', KEYS[i])
  for first = 1, #keys, 1000 do
    deleted = deleted + redis.call('DEL', unpack(keys, first, math.min(first + 999, #keys)))
  end
  redis.call('DEL', KEYS[i])
end
return deleted
`;
