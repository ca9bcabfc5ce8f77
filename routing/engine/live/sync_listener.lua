-- Bring a listener in line with the roster: which pools they may join (empty when ineligible), on
-- shift or not, paused or not, capacity. An engaged listener finishes what they are doing.
-- ARGV: listener, association, pools, on shift, paused, text capacity, misses before pause, now
-- Refused while the live state is not built: a listener created now (offline, then available) would hide
-- the state the rebuild finds in the database (in a call, in wrap-up, offered).
if redis.call('EXISTS', BUILT) == 0 then return 'rebuild' end
local lid, a = ARGV[1], ARGV[2]
local l = load(lkey(lid))
if not l then
  l = {st = 'offline', texts = '0', miss = '0', idle = ARGV[8], offer = '', call = '', joined = ''}
  redis.call('HSET', lkey(lid), 'st', 'offline', 'texts', 0, 'miss', 0, 'idle', ARGV[8])
end
redis.call('SADD', akey(a) .. ':listeners', lid)
leave_pools(lid, l)
l.a, l.pools, l.on, l.paused, l.cap, l.maxmiss = a, ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
redis.call('HSET', lkey(lid), 'a', a, 'pools', ARGV[3], 'on', ARGV[4], 'paused', ARGV[5], 'cap', ARGV[6],
  'maxmiss', ARGV[7], 'joined', '')
if is_free(l.st) then
  local idle = ARGV[8]
  if l.st == 'available' then idle = l.idle end
  settle_free(lid, l, idle)
end
return l.st
