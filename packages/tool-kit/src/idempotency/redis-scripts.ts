// Lua scripts of the Redis store. Each multi-step transition is one script, so it is atomic
// and costs one round trip. ioredis `defineCommand` sends a script's body once per
// connection and then calls it by SHA (EVALSHA), reloading it after a NOSCRIPT.
//
// Record hash fields: state, fp (fingerprint), fh (field hashes JSON), owner, lease
// (expiry, ms), outcome (JSON), caps (JSON list of the cap keys the claim reserved),
// createdAt, updatedAt, completedAt, and after a takeover tkSince and tkOwner (what the
// takeover answered, so the same owner claiming again gets the same answer). Times are Redis
// server time (TIME), so replicas and processes with skewed clocks agree on leases.
//
// Cap keys named in a record's `caps` are read back by `release` without being passed in
// KEYS: they carry the record's hash tag, so they live in the same Cluster slot.

import {
  WINDOW_CHECK_LUA,
  WINDOW_COUNTS_LUA,
  WINDOW_RELEASE_LUA,
  WINDOW_TAKE_LUA,
} from "./redis-window-scripts.js";

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function ms(n) return string.format('%.0f', n) end
`;

// The owner fence every transition after a claim goes through. Returns a refusal reason,
// or nil when ARGV[1] owns the record and it is not completed.
const FENCE = `
local cur = redis.call('HMGET', KEYS[1], 'state', 'owner', 'caps')
local function refusal()
  if not cur[1] then return 'missing' end
  if cur[2] ~= ARGV[1] then return 'owner' end
  if cur[1] == 'completed' then return 'completed' end
  return nil
end
`;

/**
 * KEYS: record, caps…, windows…; ARGV: fingerprint, fieldHashes, owner, leaseMs, ttlMs,
 * capTtlMs, capKeysJson, limits…, windowMs…, windowCount.
 */
export const CLAIM_LUA = `${NOW}
local rec = KEYS[1]
local leaseMs = tonumber(ARGV[4])
local ttlMs = tonumber(ARGV[5])
local cur = redis.call('HMGET', rec, 'state', 'fp', 'fh', 'owner', 'lease', 'outcome', 'completedAt', 'updatedAt',
  'tkSince', 'tkOwner')
local state = cur[1]
if state then
  if cur[2] ~= ARGV[1] then return {'key_reused', cur[3]} end
  if state == 'completed' then return {'replay', cur[6], cur[7]} end
  if state == 'in_progress' and cur[4] == ARGV[3] then
    -- The same owner again: its earlier claim was applied but the reply never reached it (a
    -- client timeout), so it never acted. Answer what that claim answered, with the lease
    -- refreshed and no cap reserved again: 'unknown' after a takeover (it must reconcile).
    redis.call('HSET', rec, 'lease', ms(now + leaseMs), 'updatedAt', ms(now))
    redis.call('PEXPIRE', rec, ttlMs)
    if cur[9] then return {'unknown', cur[9], cur[10]} end
    return {'acquired'}
  end
  local since = cur[8]
  if state == 'in_progress' then
    if tonumber(cur[5]) > now then return {'in_progress', cur[5]} end
    since = cur[5]
  end
  -- Orphan recovery: the state read above is 'in_progress' (expired) or 'unknown' inside this
  -- same atomic script, so a completed record can never be overwritten here.
  redis.call('HSET', rec, 'state', 'in_progress', 'owner', ARGV[3], 'lease', ms(now + leaseMs), 'updatedAt', ms(now),
    'tkSince', since, 'tkOwner', cur[4])
  redis.call('PEXPIRE', rec, ttlMs)
  return {'unknown', since, cur[4]}
end
${WINDOW_COUNTS_LUA}
for i = 1, capCount do
  local used = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
  local limit = tonumber(ARGV[7 + i])
  if used + 1 > limit then return {'cap_exceeded', tostring(i), ARGV[7 + i], tostring(used)} end
end
${WINDOW_CHECK_LUA}
local capTtl = tonumber(ARGV[6])
for i = 1, capCount do
  redis.call('INCR', KEYS[i + 1])
  if redis.call('PTTL', KEYS[i + 1]) < capTtl then redis.call('PEXPIRE', KEYS[i + 1], capTtl) end
end
redis.call('HSET', rec, 'state', 'in_progress', 'fp', ARGV[1], 'fh', ARGV[2], 'owner', ARGV[3],
  'lease', ms(now + leaseMs), 'caps', ARGV[7], 'createdAt', ms(now), 'updatedAt', ms(now))
redis.call('PEXPIRE', rec, ttlMs)
${WINDOW_TAKE_LUA}
return {'acquired'}
`;

/** KEYS: record; ARGV: owner, outcomeJson, ttlMs. Returns 'ok' or a refusal reason. */
export const COMPLETE_LUA = `${NOW}${FENCE}
local why = refusal()
if why then return why end
redis.call('HSET', KEYS[1], 'state', 'completed', 'outcome', ARGV[2], 'completedAt', ms(now), 'updatedAt', ms(now))
redis.call('HDEL', KEYS[1], 'lease')
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 'ok'
`;

/** KEYS: record; ARGV: owner. Deletes the record and refunds its caps and windows. */
export const RELEASE_LUA = `${FENCE}
local why = refusal()
if why then return why end
${WINDOW_RELEASE_LUA}
redis.call('DEL', KEYS[1])
if cur[3] then
  for _, capKey in ipairs(cjson.decode(cur[3])) do
    if tonumber(redis.call('GET', capKey) or '0') > 0 then redis.call('DECR', capKey) end
  end
end
return 'ok'
`;

/** KEYS: record; ARGV: owner. The record stays (for retention), with no lease. */
export const MARK_UNKNOWN_LUA = `${NOW}${FENCE}
local why = refusal()
if why then return why end
redis.call('HSET', KEYS[1], 'state', 'unknown', 'updatedAt', ms(now))
redis.call('HDEL', KEYS[1], 'lease')
return 'ok'
`;

/** KEYS: record; ARGV: owner, leaseMs. Only an in-progress record's lease is extended. */
export const RENEW_LUA = `${NOW}${FENCE}
local why = refusal()
if why then return why end
if cur[1] ~= 'in_progress' then return 'state' end
redis.call('HSET', KEYS[1], 'lease', ms(now + tonumber(ARGV[2])), 'updatedAt', ms(now))
return 'ok'
`;

/** KEYS: data hash, open zset, all zset, sequence; ARGV: id, json. Orders by a sequence, not time. */
export const ADD_REVIEW_LUA = `
local seq = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
redis.call('ZADD', KEYS[3], seq, ARGV[1])
return seq
`;

/** KEYS: index zset, data hash, resolution hash; ARGV: limit. Newest first. */
export const LIST_REVIEWS_LUA = `
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #ids == 0 then return {} end
return {redis.call('HMGET', KEYS[2], unpack(ids)), redis.call('HMGET', KEYS[3], unpack(ids))}
`;

/** KEYS: data hash, resolution hash; ARGV: id. */
export const GET_REVIEW_LUA = `
return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HGET', KEYS[2], ARGV[1])}
`;

/** KEYS: open zset, resolved zset, resolution hash; ARGV: id, resolutionJson. Returns 1 or 0. */
export const RESOLVE_REVIEW_LUA = `
local seq = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not seq then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return 1
`;
