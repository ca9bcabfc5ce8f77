-- Offer one waiting contact to the listener idle longest in the step's pools, skipping its exclusions.
-- The hot path: only the fields it needs (HMGET), the head of each pool, and the listener leaves exactly
-- the pools recorded in ``joined``.
-- ARGV: contact, now, deadline, offer id, step, pool suffixes ("ta:fluent")...
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local cid, now, deadline, oid, step = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local c = load_fields(ckey(cid), 'st', 'a', 'kind', 'lang', 'prio', 'skip')
if not c or c.st ~= 'waiting' then return {'gone'} end
local best, l = longest_idle(cid, c, 6, now)
if not best then return {'none'} end
make_offer(cid, c, best, l, now, deadline, oid, step)
return {'offer', best}
