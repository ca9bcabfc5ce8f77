-- The contact asked for a call back: it keeps its place in the queue. ARGV: contact
if redis.call('EXISTS', BUILT) == 0 then return 'rebuild' end
if redis.call('EXISTS', ckey(ARGV[1])) == 0 then return 'unknown' end
redis.call('HSET', ckey(ARGV[1]), 'cb', '1')
return 'ok'
