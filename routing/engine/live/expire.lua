-- Expire every offer whose deadline has passed, as missed. ARGV: now, limit
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local now = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, oid in ipairs(due) do
  local o = load(okey(oid))
  if o and not o.gone then
    local paused = drop_offer(oid, o, now, 'missed')
    out[#out + 1] = oid
    out[#out + 1] = o.l
    out[#out + 1] = o.c
    out[#out + 1] = paused and '1' or '0'
  else
    redis.call('ZREM', DEADLINES, oid)
  end
end
return out
