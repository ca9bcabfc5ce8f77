-- Expire every offer whose deadline has passed, as missed. ARGV: now, limit
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local now = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, oid in ipairs(due) do
  local o = load(okey(oid))
  if o and not o.gone then
    out[#out + 1] = oid
    for _, v in ipairs({dropped_fields(o, drop_offer(oid, o, now, 'missed'))}) do out[#out + 1] = v end
  else
    redis.call('ZREM', DEADLINES, oid)
  end
end
return out
