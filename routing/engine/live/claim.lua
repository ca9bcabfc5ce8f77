-- Offer one waiting contact to the listener idle longest in the step's pools, skipping its exclusions.
-- The hot path: only the fields it needs (HMGET), the head of each pool, and the listener leaves exactly
-- the pools recorded in ``joined``.
-- ARGV: contact, now, deadline, offer id, step, pool suffixes ("ta:fluent")...
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local cid, now, deadline, oid, step = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local c = load_fields(ckey(cid), 'st', 'a', 'kind', 'lang', 'prio', 'skip')
if not c or c.st ~= 'waiting' then return {'gone'} end
local keys, seen = {}, {}
for i = 6, #ARGV do
  for _, suffix in ipairs(level_suffixes(ARGV[i])) do
    if not seen[suffix] then
      seen[suffix] = true
      keys[#keys + 1] = pool_key(c.a, c.kind, suffix)
    end
  end
end
-- The longest-idle listener across the keys, and the key they were found in.
local function pick()
  local best, best_score, best_key = nil, nil, nil
  local function consider(lid, score, key)
    if not best_score or score < best_score or (score == best_score and tonumber(lid) < tonumber(best)) then
      best, best_score, best_key = lid, score, key
    end
  end
  for _, key in ipairs(keys) do
    if c.skip ~= '1' then
      local head = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      if #head > 0 then consider(head[1], tonumber(head[2]), key) end
    else
      local offset, done = 0, false
      while not done do
        local page = redis.call('ZRANGE', key, offset, offset + 7, 'WITHSCORES')
        if #page == 0 then break end
        for j = 1, #page, 2 do
          local lid, score = page[j], tonumber(page[j + 1])
          if best_score and score > best_score then done = true break end
          if not is_blocked(cid, lid, now) then
            consider(lid, score, key)
            done = true
            break
          end
        end
        offset = offset + 8
      end
    end
  end
  return best, best_key
end
-- A pool member that is not available is never expected (a crash, an older layout): remove it from the
-- key it was found in (and every pool it recorded), and look again, so it can never hide a free listener.
local best, best_key, l
while true do
  best, best_key = pick()
  if not best then return {'none'} end
  l = load_fields(lkey(best), 'st', 'idle', 'joined', 'a', 'pools')
  if l and l.st == 'available' then break end
  redis.call('ZREM', best_key, best)
  if l then
    leave_pools(best, l)
    redis.call('HSET', lkey(best), 'joined', '')
  end
end
make_offer(cid, c, best, l, now, deadline, oid, step)
return {'offer', best}
