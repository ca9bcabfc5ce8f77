-- Shared by every routing script (scripts.py prepends it to each operation).
--
-- Key layout, all under "sv:":
--   sv:built                     sentinel: exists once the live state is built from the database
--   sv:l:<listener>              hash: a (association), st (state), pools ("ta:native ta:fluent ..."),
--                                joined (the pool keys they are in now, so leaving touches only those),
--                                on (on shift), paused, texts, cap (text capacity), idle, offer, call,
--                                prev_idle, miss, maxmiss, wrap
--   sv:a:<a>:vp:<lang>:<level>   voice pool: available listeners speaking <lang> at exactly <level>,
--   sv:a:<a>:tp:<lang>:<level>   text pool;  both scored by idle-since (lowest = idle longest)
--                                A listener sits in one pool per language (their own level), so a claim
--                                removes them from few keys; "fluent or better" reads the head of the
--                                native and the fluent pool. ``pools`` names what they qualify for
--                                ("ta:native ta:fluent ta:conversational"), the routing policy's view.
--   sv:a:<a>:w:<kind>:<lang>:<priority>   waiting contacts, scored by arrival (microseconds)
--   sv:a:<a>:listeners           set of listener ids known live
--   sv:a:<a>:tbc                 '1' when the association's text conversations block calls (policy
--                                ``text_blocks_calls``); absent: a listener in a text conversation still
--                                takes calls (a text is interruptible by a call)
--   sv:c:<contact>               hash: a, kind (voice|text), lang, prio, arr, st (waiting|offered|connected),
--                                cb (callback requested), offer, l (listener), skip (1 if it has exclusions)
--   sv:c:<contact>:skip          set of listener ids this contact must never be offered to
--   sv:c:<contact>:cool          listeners who declined this contact, scored by the end of their cool-down
--                                (µs): not offered it again before then (``skip`` is set to 1 with it)
--   sv:c:<contact>:ring          the contact's live offers: one, or several rung together (a crisis
--                                contact); ``offer``/``l`` name one of them, the first to be accepted wins
--   sv:o:<offer>                 hash: c, l, a, kind, dl (deadline), step, at; or a tombstone {gone = why}
--   sv:deadlines                 offers by deadline, so expiry is O(log n)
--   sv:wrapups                   listeners in wrap-up, by the time it ends
-- Times are integers in microseconds passed in by the caller; scripts never read the clock.
-- A listener is in exactly one state. Free states: available (in pools), paused, offline (off shift).
-- Engaged states: offered, busy (in a call), wrapup. Only an available listener is in any pool.

local P = 'sv:'
local BUILT = P .. 'built'
local DEADLINES = P .. 'deadlines'
local WRAPUPS = P .. 'wrapups'
local TOMBSTONE_SECONDS = 3600

local function lkey(lid) return P .. 'l:' .. lid end
local function ckey(cid) return P .. 'c:' .. cid end
local function ring_key(cid) return P .. 'c:' .. cid .. ':ring' end
local function okey(oid) return P .. 'o:' .. oid end
local function akey(a) return P .. 'a:' .. a end
local function wait_key(a, kind, lang, prio) return akey(a) .. ':w:' .. kind .. ':' .. lang .. ':' .. prio end
local function pool_key(a, kind, suffix)
  if kind == 'voice' then return akey(a) .. ':vp:' .. suffix end
  return akey(a) .. ':tp:' .. suffix
end

local LEVELS = {'native', 'fluent', 'conversational'}
local RANK = {native = 1, fluent = 2, conversational = 3}

-- The physical pools that hold the listeners of a policy pool ("ta:fluent" = fluent or better):
-- ta:native and ta:fluent.
local function level_suffixes(suffix)
  local lang, level = string.match(suffix, '^(.*):(%a+)$')
  local found = {}
  for r = 1, RANK[level] or 0 do found[r] = lang .. ':' .. LEVELS[r] end
  return found
end

-- From what a listener qualifies for ("ta:native ta:fluent ... hi:fluent ..."), the one pool per language
-- they sit in: their own (best) level.
local function own_suffixes(pools)
  local best = {}
  local order = {}
  for suffix in string.gmatch(pools or '', '%S+') do
    local lang, level = string.match(suffix, '^(.*):(%a+)$')
    if lang and RANK[level] then
      if not best[lang] then order[#order + 1] = lang end
      if not best[lang] or RANK[level] < RANK[best[lang]] then best[lang] = level end
    end
  end
  local found = {}
  for i, lang in ipairs(order) do found[i] = lang .. ':' .. best[lang] end
  return found
end

local function load(key)
  local flat = redis.call('HGETALL', key)
  if #flat == 0 then return nil end
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end

-- Only the named fields of a hash (cheaper than HGETALL on the hot path); nil if the first is missing.
local function load_fields(key, ...)
  local names = {...}
  local values = redis.call('HMGET', key, ...)
  if not values[1] then return nil end
  local t = {}
  for i, name in ipairs(names) do
    if values[i] then t[name] = values[i] end
  end
  return t
end

local function is_free(state)
  return state == 'available' or state == 'paused' or state == 'offline'
end

-- Out of every pool the listener is in. ``joined`` lists exactly those keys (written when they join),
-- so a claim removes them without rebuilding key names; a hash written before ``joined`` existed (and
-- before one pool per language) falls back to every pool their languages could mean. The caller records
-- ``joined = ''``.
local function leave_pools(lid, l)
  local joined = l.joined
  if joined then
    for key in string.gmatch(joined, '%S+') do redis.call('ZREM', key, lid) end
  else
    for suffix in string.gmatch(l.pools or '', '%S+') do
      redis.call('ZREM', pool_key(l.a, 'voice', suffix), lid)
      redis.call('ZREM', pool_key(l.a, 'text', suffix), lid)
    end
  end
  l.joined = ''
end

local function free_state(l)
  if l.paused == '1' then return 'paused' end
  if l.on ~= '1' then return 'offline' end
  return 'available'
end

-- Whether a listener holding `texts` text conversations may be offered a call: always, unless their
-- association decided that a text conversation blocks calls.
local function takes_calls(l, texts)
  return texts == 0 or redis.call('GET', akey(l.a) .. ':tbc') ~= '1'
end

-- The listener holds no offer, call or wrap-up: they become paused, offline or available. Only an
-- available listener joins pools: voice pools while they may take a call (``takes_calls``), text pools
-- while they have text capacity left.
local function settle_free(lid, l, idle)
  leave_pools(lid, l)
  local state = free_state(l)
  l.st = state
  l.idle = idle
  local joined = {}
  if state == 'available' then
    local texts, cap = tonumber(l.texts or '0'), tonumber(l.cap or '0')
    local calls = takes_calls(l, texts)
    for _, suffix in ipairs(own_suffixes(l.pools)) do
      if calls then joined[#joined + 1] = pool_key(l.a, 'voice', suffix) end
      if texts < cap then joined[#joined + 1] = pool_key(l.a, 'text', suffix) end
    end
    for _, key in ipairs(joined) do redis.call('ZADD', key, idle, lid) end
  end
  l.joined = table.concat(joined, ' ')
  redis.call('HSET', lkey(lid), 'st', state, 'idle', idle, 'offer', '', 'call', '', 'joined', l.joined)
  return state
end

-- Reserve the listener for the contact: out of every pool at once, with a deadline. The contact's first
-- offer takes it out of the queue; another rung alongside it (a crisis contact) joins its ring.
local function make_offer(cid, c, lid, l, now, deadline, oid, step)
  leave_pools(lid, l)
  redis.call('HSET', lkey(lid), 'st', 'offered', 'offer', oid, 'prev_idle', l.idle or now, 'joined', '')
  if c.st ~= 'offered' then
    redis.call('ZREM', wait_key(c.a, c.kind, c.lang, c.prio), cid)
    redis.call('HSET', ckey(cid), 'st', 'offered', 'offer', oid, 'l', lid)
  end
  redis.call('SADD', ring_key(cid), oid)
  redis.call('HSET', okey(oid), 'c', cid, 'l', lid, 'a', c.a, 'kind', c.kind, 'dl', deadline,
    'step', step, 'at', now)
  redis.call('ZADD', DEADLINES, deadline, oid)
end

local function bury_offer(oid, why)
  redis.call('ZREM', DEADLINES, oid)
  redis.call('DEL', okey(oid))
  redis.call('HSET', okey(oid), 'gone', why)
  redis.call('EXPIRE', okey(oid), TOMBSTONE_SECONDS)
end

-- Whether listener `lid` may not be offered contact `cid` now: an exclusion, or a decline still cooling.
local function is_blocked(cid, lid, now)
  if redis.call('SISMEMBER', ckey(cid) .. ':skip', lid) == 1 then return true end
  local until_us = redis.call('ZSCORE', ckey(cid) .. ':cool', lid)
  return until_us and tonumber(until_us) > tonumber(now)
end

-- The offer ends unanswered: the contact goes back to its original place, the listener is freed.
-- A missed or declined offer counts towards the automatic pause; a cancelled one gives the listener
-- back their place in the idle order; a declined one sends them to the back, and (with `cool_until`)
-- keeps them from being offered this contact again before then.
-- While other offers of the contact still ring, it stays offered (one of them becomes its ``offer``).
-- Returns whether the listener was paused automatically, whether the contact went back to its place, and
-- the offer that now stands for the contact when this one did.
local function drop_offer(oid, o, now, why, cool_until)
  local lid, cid = o.l, o.c
  bury_offer(oid, why)
  local c = load(ckey(cid))
  local ringing = redis.call('SREM', ring_key(cid), oid) == 1
  local requeued, successor = false, ''
  if c and c.st == 'offered' and (c.offer == oid or ringing) then
    local rest = redis.call('SMEMBERS', ring_key(cid))
    table.sort(rest)
    if #rest == 0 then
      redis.call('HSET', ckey(cid), 'st', 'waiting', 'offer', '', 'l', '')
      redis.call('ZADD', wait_key(c.a, c.kind, c.lang, c.prio), c.arr, cid)
      requeued = true
    elseif c.offer == oid then
      successor = rest[1]
      redis.call('HSET', ckey(cid), 'offer', successor, 'l', redis.call('HGET', okey(successor), 'l'))
    end
  end
  if c and cool_until and tonumber(cool_until) > tonumber(now) then
    redis.call('ZADD', ckey(cid) .. ':cool', cool_until, lid)
    redis.call('HSET', ckey(cid), 'skip', '1')
  end
  local l = load(lkey(lid))
  local paused = false
  if l and l.st == 'offered' and l.offer == oid then
    local idle = now
    if why == 'missed' or why == 'declined' then
      local misses = redis.call('HINCRBY', lkey(lid), 'miss', 1)
      if misses >= tonumber(l.maxmiss or '3') then
        l.paused = '1'
        redis.call('HSET', lkey(lid), 'paused', '1')
        paused = true
      end
    elseif why == 'cancelled' then
      idle = l.prev_idle or now
    end
    settle_free(lid, l, idle)
  end
  return paused, requeued, successor
end

-- The answer's fields for a dropped offer: listener, contact, paused, requeued, successor.
local function dropped_fields(o, paused, requeued, successor)
  return o.l, o.c, paused and '1' or '0', requeued and '1' or '0', successor
end

-- The waiting contact in `key` with arrival in [lo, hi] (Redis score ranges) that arrived first and
-- may be offered to listener `lid` (not in its exclusions, no decline of it cooling).
local function first_eligible(key, lo, hi, lid, now)
  local offset = 0
  while true do
    local page = redis.call('ZRANGEBYSCORE', key, lo, hi, 'WITHSCORES', 'LIMIT', offset, 8)
    if #page == 0 then return nil end
    for j = 1, #page, 2 do
      if not is_blocked(page[j], lid, now) then
        return page[j], tonumber(page[j + 1])
      end
    end
    offset = offset + 8
  end
end

-- How hard a language is to serve right now: free speakers per waiting contact (lower is harder).
-- routing/selection.py `hardness` is the same rule in Python.
local function hardness(a, kind, lang)
  local free = 0
  for _, level in ipairs(LEVELS) do free = free + redis.call('ZCARD', pool_key(a, kind, lang .. ':' .. level)) end
  local waiting = redis.call('ZCARD', wait_key(a, kind, lang, 'crisis'))
    + redis.call('ZCARD', wait_key(a, kind, lang, 'normal'))
  if waiting == 0 then return math.huge end
  return free / waiting
end

-- Crisis first; then the hardest language; then whoever arrived first.
local function better(x, y)
  if not y then return true end
  if x.rank ~= y.rank then return x.rank < y.rank end
  if x.ratio ~= y.ratio then return x.ratio < y.ratio end
  if x.arr ~= y.arr then return x.arr < y.arr end
  return x.cid < y.cid
end

-- The listener idle longest across the policy pools ARGV[first..] admit for contact `cid` (skipping its
-- exclusions and cooling declines), with their fields; nil when nobody fits. The hot path: the head of
-- each pool. A pool member that is not available is never expected (a crash, an older layout): it is
-- removed from the key it was found in (and every pool it recorded), so it can never hide a free listener.
local function longest_idle(cid, c, first, now)
  local keys, seen = {}, {}
  for i = first, #ARGV do
    for _, suffix in ipairs(level_suffixes(ARGV[i])) do
      if not seen[suffix] then
        seen[suffix] = true
        keys[#keys + 1] = pool_key(c.a, c.kind, suffix)
      end
    end
  end
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
  while true do
    local best, best_key = pick()
    if not best then return nil end
    local l = load_fields(lkey(best), 'st', 'idle', 'joined', 'a', 'pools')
    if l and l.st == 'available' then return best, l end
    redis.call('ZREM', best_key, best)
    if l then
      leave_pools(best, l)
      redis.call('HSET', lkey(best), 'joined', '')
    end
  end
end
