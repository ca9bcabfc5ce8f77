-- Rebuild one listener from the database. The database is the truth: whatever live state they have
-- (written while the state was not built) is replaced, pools and wrap-up included.
-- ARGV: listener, association, pools, on, paused, capacity, misses before pause, now,
--       state ('free' | 'offered' | 'busy' | 'wrapup'), call contact, texts, offer id, wrap-up end
local lid, a = ARGV[1], ARGV[2]
local old = load(lkey(lid))
if old then
  leave_pools(lid, old)
  redis.call('ZREM', WRAPUPS, lid)
  redis.call('DEL', lkey(lid))
end
local l = {a = a, pools = ARGV[3], on = ARGV[4], paused = ARGV[5], cap = ARGV[6], maxmiss = ARGV[7],
  texts = ARGV[11], miss = '0', idle = ARGV[8], st = ARGV[9], call = ARGV[10], offer = ARGV[12], joined = ''}
redis.call('HSET', lkey(lid), 'a', a, 'pools', l.pools, 'on', l.on, 'paused', l.paused, 'cap', l.cap,
  'maxmiss', l.maxmiss, 'texts', l.texts, 'miss', 0, 'idle', l.idle, 'st', l.st, 'call', l.call,
  'offer', l.offer, 'prev_idle', l.idle, 'joined', '')
redis.call('SADD', akey(a) .. ':listeners', lid)
if l.st == 'free' then settle_free(lid, l, l.idle) end
if l.st == 'wrapup' then
  redis.call('HSET', lkey(lid), 'wrap', ARGV[13])
  redis.call('ZADD', WRAPUPS, ARGV[13], lid)
end
return 1
