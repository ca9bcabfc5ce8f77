-- A listener becomes free (wrap-up over, back from a pause, shift started...): offer them the waiting
-- contact they should take next, in this same call, or put them in their pools.
-- ARGV: listener, now, deadline, offer id, release (engaged state being left, or ''),
--   paused ('1'/'0', '' keeps), on shift (same), wrap-up end (release only the wrap-up ending then, or
--   '' for any), queue count, then per queue: kind, lang, window count, then per window: lowest arrival,
--   highest arrival (Redis score range syntax), step index.
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local lid, now, deadline, oid, release = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local l = load(lkey(lid))
if not l then return {'unknown'} end
if ARGV[6] ~= '' then
  l.paused = ARGV[6]
  redis.call('HSET', lkey(lid), 'paused', ARGV[6])
  if ARGV[6] == '0' then redis.call('HSET', lkey(lid), 'miss', 0) end
end
if ARGV[7] ~= '' then
  l.on = ARGV[7]
  redis.call('HSET', lkey(lid), 'on', ARGV[7])
end
local was_available = l.st == 'available'
if ARGV[8] ~= '' and (l.st ~= 'wrapup' or l.wrap ~= ARGV[8]) then return {'engaged', l.st} end
if release ~= '' and l.st == release and not is_free(release) then
  redis.call('ZREM', WRAPUPS, lid)
elseif not is_free(l.st) then
  return {'engaged', l.st}
end
if free_state(l) ~= 'available' then return {'state', settle_free(lid, l, now)} end
if not was_available then l.idle = now end

local texts, cap = tonumber(l.texts or '0'), tonumber(l.cap or '0')
local best = nil
local i = 10
for _ = 1, tonumber(ARGV[9]) do
  local kind, lang, nw = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local windows = {}
  for w = 0, nw - 1 do
    windows[#windows + 1] = {ARGV[i + 3 + 3 * w], ARGV[i + 4 + 3 * w], ARGV[i + 5 + 3 * w]}
  end
  i = i + 3 + 3 * nw
  if (kind == 'voice' and takes_calls(l, texts)) or (kind == 'text' and texts < cap) then
    for rank, prio in ipairs({'crisis', 'normal'}) do
      local key = wait_key(l.a, kind, lang, prio)
      local cand = nil
      for _, win in ipairs(windows) do
        local cid, arr = first_eligible(key, win[1], win[2], lid, now)
        if cid and (not cand or arr < cand.arr) then cand = {cid = cid, arr = arr, step = win[3]} end
      end
      if cand then
        cand.rank = rank
        cand.ratio = hardness(l.a, kind, lang)
        if better(cand, best) then best = cand end
        break
      end
    end
  end
end
if best then
  local c = load(ckey(best.cid))
  make_offer(best.cid, c, lid, l, now, deadline, oid, best.step)
  return {'offer', best.cid, best.step}
end
return {'state', settle_free(lid, l, l.idle)}
