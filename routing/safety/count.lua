-- Count one call or text of a caller in the current window, and flag them on the board once over the limit.
-- KEYS[1]: the counter of this caller, kind and window; KEYS[2]: the association's board of limited callers.
-- ARGV: window seconds, limit, board member ("call:<hash>"), now (seconds), board memory (seconds).
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
end
if count > tonumber(ARGV[2]) then
  local now = tonumber(ARGV[4])
  redis.call('ZADD', KEYS[2], now, ARGV[3])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[5]))
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
end
return count
