-- A contact ends (hung up, call or conversation over). A call's listener enters wrap-up until
-- `wrap_until` (or is free at once if it has passed); a text listener gets a unit of capacity back.
-- ARGV: contact, now, wrap_until
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local cid, now, wrap = ARGV[1], ARGV[2], ARGV[3]
local c = load(ckey(cid))
if not c then return {'unknown'} end
local ring = redis.call('SMEMBERS', ring_key(cid))
redis.call('DEL', ckey(cid), ckey(cid) .. ':skip', ckey(cid) .. ':cool', ring_key(cid))
if c.st == 'waiting' then
  redis.call('ZREM', wait_key(c.a, c.kind, c.lang, c.prio), cid)
  return {'removed'}
end
if c.st == 'offered' then
  if c.offer ~= '' then ring[#ring + 1] = c.offer end
  for _, oid in ipairs(ring) do
    local o = load(okey(oid))
    if o and not o.gone then drop_offer(oid, o, now, 'cancelled') end
  end
  return {'cancelled', c.l}
end
local lid = c.l
local l = load(lkey(lid))
if not l then return {'ended', lid, ''} end
if c.kind == 'voice' then
  if l.st ~= 'busy' or l.call ~= cid then return {'ended', lid, l.st} end
  if tonumber(wrap) > tonumber(now) then
    redis.call('HSET', lkey(lid), 'st', 'wrapup', 'wrap', wrap, 'call', '')
    redis.call('ZADD', WRAPUPS, wrap, lid)
    return {'ended', lid, 'wrapup', wrap}
  end
  return {'ended', lid, settle_free(lid, l, now)}
end
local texts = math.max(0, tonumber(l.texts or '0') - 1)
l.texts = tostring(texts)
redis.call('HSET', lkey(lid), 'texts', texts)
if is_free(l.st) then
  local idle = now
  if l.st == 'available' then idle = l.idle end
  settle_free(lid, l, idle)
end
return {'ended', lid, l.st}
