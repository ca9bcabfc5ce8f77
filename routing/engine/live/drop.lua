-- The listener declined, or did not answer: the contact goes back to its place (unless other offers of it
-- still ring).
-- ARGV: offer id, now, why ('declined' | 'missed'), end of the cool-down for this listener and contact
-- (µs; 0 for none)
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local oid, now, why = ARGV[1], ARGV[2], ARGV[3]
local o = load(okey(oid))
if not o then return {'gone', 'unknown'} end
if o.gone then return {'gone', o.gone} end
return {'ok', dropped_fields(o, drop_offer(oid, o, now, why, ARGV[4]))}
