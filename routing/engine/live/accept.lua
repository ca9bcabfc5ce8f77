-- The listener accepted: a call makes them busy (in no pool); a text conversation uses one unit of
-- their text capacity. A late or repeated accept is told why the offer is gone.
-- ARGV: offer id, now
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local oid, now = ARGV[1], ARGV[2]
local o = load(okey(oid))
if not o then return {'gone', 'unknown'} end
if o.gone then return {'gone', o.gone} end
if tonumber(o.dl) < tonumber(now) then
  local paused = drop_offer(oid, o, now, 'missed')
  return {'gone', 'expired', o.l, o.c, paused and '1' or '0'}
end
local lid, cid = o.l, o.c
bury_offer(oid, 'accepted')
redis.call('HSET', ckey(cid), 'st', 'connected', 'offer', '')
redis.call('HSET', lkey(lid), 'miss', 0)
local l = load(lkey(lid))
if o.kind == 'voice' then
  redis.call('HSET', lkey(lid), 'st', 'busy', 'offer', '', 'call', cid)
else
  l.texts = tostring(redis.call('HINCRBY', lkey(lid), 'texts', 1))
  settle_free(lid, l, now)
end
return {'ok', cid, lid, o.kind}
