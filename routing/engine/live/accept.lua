-- The listener accepted: a call makes them busy (in no pool); a text conversation uses one unit of
-- their text capacity. The contact's other offers rung alongside this one are taken back ('taken'), and
-- their listeners get their place in the idle order back. A late or repeated accept is told why the offer
-- is gone.
-- ARGV: offer id, now
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local oid, now = ARGV[1], ARGV[2]
local o = load(okey(oid))
if not o then return {'gone', 'unknown'} end
if o.gone then return {'gone', o.gone} end
if tonumber(o.dl) < tonumber(now) then
  local paused, requeued, successor = drop_offer(oid, o, now, 'missed')
  return {'gone', 'expired', dropped_fields(o, paused, requeued, successor)}
end
local lid, cid = o.l, o.c
bury_offer(oid, 'accepted')
redis.call('SREM', ring_key(cid), oid)
local taken = {}
for _, other in ipairs(redis.call('SMEMBERS', ring_key(cid))) do
  local o2 = load(okey(other))
  if o2 and not o2.gone then
    bury_offer(other, 'taken')
    local l2 = load(lkey(o2.l))
    if l2 and l2.st == 'offered' and l2.offer == other then settle_free(o2.l, l2, l2.prev_idle or now) end
    taken[#taken + 1] = other
    taken[#taken + 1] = o2.l
  end
end
redis.call('DEL', ring_key(cid))
redis.call('HSET', ckey(cid), 'st', 'connected', 'offer', '', 'l', lid)
redis.call('HSET', lkey(lid), 'miss', 0)
local l = load(lkey(lid))
if o.kind == 'voice' then
  redis.call('HSET', lkey(lid), 'st', 'busy', 'offer', '', 'call', cid)
else
  l.texts = tostring(redis.call('HINCRBY', lkey(lid), 'texts', 1))
  settle_free(lid, l, now)
end
local answer = {'ok', cid, lid, o.kind}
for _, v in ipairs(taken) do answer[#answer + 1] = v end
return answer
