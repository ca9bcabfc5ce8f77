-- ARGV: contact, association, kind, lang, priority, arrival, excluded listener ids...
if redis.call('EXISTS', BUILT) == 0 then return 'rebuild' end
local cid, a, kind, lang, prio, arr = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('EXISTS', ckey(cid)) == 1 then return 'exists' end
local skip = '0'
if #ARGV > 6 then skip = '1' end
redis.call('HSET', ckey(cid), 'a', a, 'kind', kind, 'lang', lang, 'prio', prio, 'arr', arr,
  'st', 'waiting', 'cb', '0', 'offer', '', 'l', '', 'skip', skip)
for i = 7, #ARGV do redis.call('SADD', ckey(cid) .. ':skip', ARGV[i]) end
redis.call('ZADD', wait_key(a, kind, lang, prio), arr, cid)
redis.call('SADD', akey(a) .. ':queues', kind .. ':' .. lang)
return 'ok'
