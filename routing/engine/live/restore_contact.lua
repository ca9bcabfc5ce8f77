-- Rebuild one contact from the database, in its original place, unless it exists already.
-- ARGV: contact, association, kind, lang, priority, arrival, callback, state, listener, offer id,
--       deadline, step, now, excluded listener ids...
local cid, a, kind, lang, prio, arr = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('EXISTS', ckey(cid)) == 1 then return 0 end
local st, lid, oid = ARGV[8], ARGV[9], ARGV[10]
local skip = '0'
if #ARGV > 13 then skip = '1' end
redis.call('HSET', ckey(cid), 'a', a, 'kind', kind, 'lang', lang, 'prio', prio, 'arr', arr, 'cb', ARGV[7],
  'st', st, 'l', lid, 'offer', oid, 'skip', skip)
for i = 14, #ARGV do redis.call('SADD', ckey(cid) .. ':skip', ARGV[i]) end
redis.call('SADD', akey(a) .. ':queues', kind .. ':' .. lang)
if st == 'waiting' then
  redis.call('ZADD', wait_key(a, kind, lang, prio), arr, cid)
elseif st == 'offered' then
  redis.call('HSET', okey(oid), 'c', cid, 'l', lid, 'a', a, 'kind', kind, 'dl', ARGV[11], 'step', ARGV[12],
    'at', ARGV[13])
  redis.call('ZADD', DEADLINES, ARGV[11], oid)
  redis.call('SADD', ring_key(cid), oid)
end
return 1
