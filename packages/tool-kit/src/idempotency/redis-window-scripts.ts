// Lua pieces of the time-window limits (a recipient's cooldown), spliced into the claim and
// release scripts so the window is checked and taken in the same atomic step as the key.
//
// KEYS after the cap keys are the window keys; ARGV after the cap limits holds each window's
// length (ms), and the last ARGV is the number of windows. A window key holds the record key
// that took it, with the window's length as its expiry; the record remembers its window keys
// (field `wins`) so a release gives back only windows it still holds.

/** Declares `winCount` and `capCount` (the claim script's cap loop uses it). */
export const WINDOW_COUNTS_LUA = `
local winCount = tonumber(ARGV[#ARGV])
local capCount = #KEYS - 1 - winCount
`;

/** Returns `window_active` (index, until) when a window is held; needs `now`, `rec`, `capCount`. */
export const WINDOW_CHECK_LUA = `
for j = 1, winCount do
  local wkey = KEYS[1 + capCount + j]
  if redis.call('EXISTS', wkey) == 1 then
    return {'window_active', tostring(j), ms(now + math.max(redis.call('PTTL', wkey), 0))}
  end
end
`;

/** Takes every window for `rec` and records their keys on it. */
export const WINDOW_TAKE_LUA = `
if winCount > 0 then
  local held = {}
  for j = 1, winCount do
    local wkey = KEYS[1 + capCount + j]
    redis.call('SET', wkey, rec, 'PX', tonumber(ARGV[7 + capCount + j]))
    held[j] = wkey
  end
  redis.call('HSET', rec, 'wins', cjson.encode(held))
end
`;

/** Gives back the windows KEYS[1] still holds; run before the record is deleted. */
export const WINDOW_RELEASE_LUA = `
local wins = redis.call('HGET', KEYS[1], 'wins')
if wins then
  for _, wkey in ipairs(cjson.decode(wins)) do
    if redis.call('GET', wkey) == KEYS[1] then redis.call('DEL', wkey) end
  end
end
`;
