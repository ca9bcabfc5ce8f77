-- Ring one more listener for a contact already offered (a crisis contact is offered to several at once;
-- the first to accept takes it, ``accept`` withdraws the others). At most `most` offers ring together.
-- ARGV: contact, now, deadline, offer id, step, most, pool suffixes ("ta:fluent")...
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local cid, now, deadline, oid, step, most = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local c = load_fields(ckey(cid), 'st', 'a', 'kind', 'lang', 'prio', 'skip', 'offer')
if not c or c.st ~= 'offered' then return {'gone'} end
if c.offer and c.offer ~= '' then redis.call('SADD', ring_key(cid), c.offer) end
if redis.call('SCARD', ring_key(cid)) >= most then return {'full'} end
local best, l = longest_idle(cid, c, 7, now)
if not best then return {'none'} end
make_offer(cid, c, best, l, now, deadline, oid, step)
return {'offer', best}
