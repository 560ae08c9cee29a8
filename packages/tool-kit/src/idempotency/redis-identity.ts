// The Redis store's identity: one hash per scope, created at most once (by whichever replica
// asks first), with Redis server time.
export const IDENTITY_LUA = `
local cur = redis.call('HMGET', KEYS[1], 'id', 'createdAt')
if cur[1] then return {cur[1], cur[2], 0} end
local t = redis.call('TIME')
local now = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'createdAt', now)
return {ARGV[1], now, 1}
`;
