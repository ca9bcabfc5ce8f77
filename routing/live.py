"""The live routing state in Redis: the one module that owns its keys and its Lua scripts.

Every change that must be atomic is one script call (one round trip): a claim takes a listener out of every
pool at once, so two claimers can never take the same listener. The key layout and the moves shared by the
scripts are in ``live.lua``; the scripts below add one operation each. Times are integer microseconds passed
in by the caller (scripts never read the clock), so tests control time. Nothing here is a phone number:
listeners are database ids, contacts are random ids.

The database is the source of truth; this state can always be rebuilt from it (``restore_*`` then
``mark_built``). Every script first checks the ``sv:built`` sentinel and answers ``rebuild`` when Redis lost
its data, which surfaces as ``LiveStateLostError``.
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis
from redis.commands.core import Script

from routing.errors import LiveStateLostError
from routing.policy import LEVELS, US
from schemas.tables import Channel

PREFIX = "sv:"
BUILT = PREFIX + "built"
REBUILDING = PREFIX + "rebuilding"
DEADLINES = PREFIX + "deadlines"
WRAPUPS = PREFIX + "wrapups"
PRIORITIES = ("crisis", "normal")
FREE_STATES = frozenset({"available", "paused", "offline"})
STATES = FREE_STATES | {"offered", "busy", "wrapup"}
KINDS = ("voice", "text")

# ---- the live state's terms: kinds of contact, times in microseconds, ids ----


def kind_of(channel: Channel) -> str:
    """Calls are exclusive; SMS and WhatsApp conversations share a listener's text capacity."""
    return "voice" if channel == Channel.voice else "text"


def to_us(at: datetime) -> int:
    """The live state's time: integer microseconds since the epoch (scores and script arguments)."""
    return round(at.timestamp() * US)


def from_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / US, UTC)


def new_id() -> str:
    """Contacts and offers get random ids: nothing in Redis or in a job's arguments identifies a caller."""
    return str(uuid.uuid4())


_PRELUDE = (Path(__file__).with_name("live.lua")).read_text()

_ENQUEUE = """
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
"""

_CLAIM = """
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
      local skip = ckey(cid) .. ':skip'
      local offset, done = 0, false
      while not done do
        local page = redis.call('ZRANGE', key, offset, offset + 7, 'WITHSCORES')
        if #page == 0 then break end
        for j = 1, #page, 2 do
          local lid, score = page[j], tonumber(page[j + 1])
          if best_score and score > best_score then done = true break end
          if redis.call('SISMEMBER', skip, lid) == 0 then
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
"""

_FREE = """
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
  if (kind == 'voice' and texts == 0) or (kind == 'text' and texts < cap) then
    for rank, prio in ipairs({'crisis', 'normal'}) do
      local key = wait_key(l.a, kind, lang, prio)
      local cand = nil
      for _, win in ipairs(windows) do
        local cid, arr = first_eligible(key, win[1], win[2], lid)
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
"""

_ACCEPT = """
-- The listener accepted: a call makes them busy (in no pool); a text conversation uses one unit of
-- their text capacity. A late or repeated accept is told why the offer is gone.
-- ARGV: offer id, now
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local oid, now = ARGV[1], ARGV[2]
local o = load(okey(oid))
if not o then return {'gone', 'unknown'} end
if o.gone then return {'gone', o.gone} end
if tonumber(o.dl) < tonumber(now) then
  local paused = drop_offer(oid, o, now, 'missed')
  return {'gone', 'expired', o.l, o.c, paused and '1' or '0'}
end
local lid, cid = o.l, o.c
bury_offer(oid, 'accepted')
redis.call('HSET', ckey(cid), 'st', 'connected', 'offer', '')
redis.call('HSET', lkey(lid), 'miss', 0)
local l = load(lkey(lid))
if o.kind == 'voice' then
  redis.call('HSET', lkey(lid), 'st', 'busy', 'offer', '', 'call', cid)
else
  l.texts = tostring(redis.call('HINCRBY', lkey(lid), 'texts', 1))
  settle_free(lid, l, now)
end
return {'ok', cid, lid, o.kind}
"""

_DROP = """
-- The listener declined, or did not answer: the contact goes back to its place.
-- ARGV: offer id, now, why ('declined' | 'missed')
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local oid, now, why = ARGV[1], ARGV[2], ARGV[3]
local o = load(okey(oid))
if not o then return {'gone', 'unknown'} end
if o.gone then return {'gone', o.gone} end
local paused = drop_offer(oid, o, now, why)
return {'ok', o.l, o.c, paused and '1' or '0'}
"""

_EXPIRE = """
-- Expire every offer whose deadline has passed, as missed. ARGV: now, limit
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local now = ARGV[1]
local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, oid in ipairs(due) do
  local o = load(okey(oid))
  if o and not o.gone then
    local paused = drop_offer(oid, o, now, 'missed')
    out[#out + 1] = oid
    out[#out + 1] = o.l
    out[#out + 1] = o.c
    out[#out + 1] = paused and '1' or '0'
  else
    redis.call('ZREM', DEADLINES, oid)
  end
end
return out
"""

_FINISH = """
-- A contact ends (hung up, call or conversation over). A call's listener enters wrap-up until
-- `wrap_until` (or is free at once if it has passed); a text listener gets a unit of capacity back.
-- ARGV: contact, now, wrap_until
if redis.call('EXISTS', BUILT) == 0 then return {'rebuild'} end
local cid, now, wrap = ARGV[1], ARGV[2], ARGV[3]
local c = load(ckey(cid))
if not c then return {'unknown'} end
redis.call('DEL', ckey(cid), ckey(cid) .. ':skip')
if c.st == 'waiting' then
  redis.call('ZREM', wait_key(c.a, c.kind, c.lang, c.prio), cid)
  return {'removed'}
end
if c.st == 'offered' then
  local o = load(okey(c.offer))
  if o and not o.gone then drop_offer(c.offer, o, now, 'cancelled') end
  return {'cancelled', c.l}
end
local lid = c.l
local l = load(lkey(lid))
if not l then return {'ended', lid, ''} end
if c.kind == 'voice' then
  if l.st ~= 'busy' or l.call ~= cid then return {'ended', lid, l.st} end
  if tonumber(wrap) > tonumber(now) then
    redis.call('HSET', lkey(lid), 'st', 'wrapup', 'wrap', wrap, 'call', '')
    redis.call('ZADD', WRAPUPS, wrap, lid)
    return {'ended', lid, 'wrapup', wrap}
  end
  return {'ended', lid, settle_free(lid, l, now)}
end
local texts = math.max(0, tonumber(l.texts or '0') - 1)
l.texts = tostring(texts)
redis.call('HSET', lkey(lid), 'texts', texts)
if is_free(l.st) then
  local idle = now
  if l.st == 'available' then idle = l.idle end
  settle_free(lid, l, idle)
end
return {'ended', lid, l.st}
"""

_CALLBACK = """
-- The contact asked for a call back: it keeps its place in the queue. ARGV: contact
if redis.call('EXISTS', BUILT) == 0 then return 'rebuild' end
if redis.call('EXISTS', ckey(ARGV[1])) == 0 then return 'unknown' end
redis.call('HSET', ckey(ARGV[1]), 'cb', '1')
return 'ok'
"""

_SYNC_LISTENER = """
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
"""

_RESTORE_LISTENER = """
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
"""

_RESTORE_CONTACT = """
-- Rebuild one contact from the database, in its original place, unless it exists already.
-- ARGV: contact, association, kind, lang, priority, arrival, callback, state, listener, offer id,
--       deadline, step, now, excluded listener ids...
local cid, a, kind, lang, prio, arr = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('EXISTS', ckey(cid)) == 1 then return 0 end
local st, lid, oid = ARGV[8], ARGV[9], ARGV[10]
local skip = '0'
if #ARGV > 13 then skip = '1' end
redis.call('HSET', ckey(cid), 'a', a, 'kind', kind, 'lang', lang, 'prio', prio, 'arr', arr, 'cb', ARGV[7],
  'st', st, 'l', lid, 'offer', oid, 'skip', skip)
for i = 14, #ARGV do redis.call('SADD', ckey(cid) .. ':skip', ARGV[i]) end
redis.call('SADD', akey(a) .. ':queues', kind .. ':' .. lang)
if st == 'waiting' then
  redis.call('ZADD', wait_key(a, kind, lang, prio), arr, cid)
elseif st == 'offered' then
  redis.call('HSET', okey(oid), 'c', cid, 'l', lid, 'a', a, 'kind', kind, 'dl', ARGV[11], 'step', ARGV[12],
    'at', ARGV[13])
  redis.call('ZADD', DEADLINES, ARGV[11], oid)
end
return 1
"""


REBUILD_LOCK_SECONDS = 30

_RENEW_LOCK = """
-- The rebuild lock, only if it still holds our token: renewed for ARGV[2] seconds, or released (0).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) <= 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 1
"""


def _script(body: str) -> str:
    return _PRELUDE + "\n-- ---- the operation ----\n" + body


CLAIM_SOURCE = _script(_CLAIM)  # the benchmark runs the same script over redis.asyncio


# Every script this module runs, by the attribute that holds it on LiveState.
_SOURCES = {
    "_renew": _RENEW_LOCK,
    "_enqueue": _script(_ENQUEUE),
    "_claim": CLAIM_SOURCE,
    "_free": _script(_FREE),
    "_accept": _script(_ACCEPT),
    "_drop": _script(_DROP),
    "_expire": _script(_EXPIRE),
    "_finish": _script(_FINISH),
    "_callback": _script(_CALLBACK),
    "_sync": _script(_SYNC_LISTENER),
    "_restore_listener": _script(_RESTORE_LISTENER),
    "_restore_contact": _script(_RESTORE_CONTACT),
}
_registered: weakref.WeakKeyDictionary[redis.Redis, dict[str, Script]] = weakref.WeakKeyDictionary()
_registering = threading.Lock()


def _scripts_for(client: redis.Redis) -> dict[str, Script]:
    """Register the scripts once per client: hashing them all costs about 90 µs, too much for every request."""
    with _registering:
        scripts = _registered.get(client)
        if scripts is None:
            scripts = {name: client.register_script(source) for name, source in _SOURCES.items()}
            _registered[client] = scripts
        return scripts


def claim_args(
    contact_id: str, pools: Sequence[str], now_us: int, deadline_us: int, offer_id: str, step: int
) -> list[Any]:
    return [contact_id, now_us, deadline_us, offer_id, step, *pools]


@dataclass(frozen=True)
class Window:
    """Contacts that arrived in [lowest, highest] (Redis score syntax, "(" excludes) are at ``step``."""

    lowest: str
    highest: str
    step: int


@dataclass(frozen=True)
class QueueQuery:
    """A queue a freed listener may serve: its kind and language, and the arrival windows in which the
    policy's current step admits this listener."""

    kind: str
    language: str
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class LiveListener:
    listener_id: int
    association_id: int
    state: str
    pools: tuple[str, ...]
    on_shift: bool
    paused: bool
    texts: int
    capacity: int
    idle_since_us: int
    offer_id: str
    call_contact: str
    misses: int
    wrap_until_us: int


@dataclass(frozen=True)
class LiveContact:
    contact_id: str
    association_id: int
    kind: str
    language: str
    priority: str
    arrival_us: int
    state: str
    callback: bool
    offer_id: str
    listener_id: int | None
    excluding: bool = False


@dataclass(frozen=True)
class LiveOffer:
    offer_id: str
    contact_id: str
    listener_id: int
    association_id: int
    kind: str
    deadline_us: int
    step: int


@dataclass(frozen=True)
class Dropped:
    """An offer that ended unanswered; ``paused`` if the listener was paused for missing too many."""

    offer_id: str
    listener_id: int
    contact_id: str
    paused: bool


@dataclass(frozen=True)
class Freed:
    """What freeing a listener did: an offer (contact, step), or the state they are now in."""

    state: str
    contact_id: str | None = None
    step: int | None = None


@dataclass(frozen=True)
class Accepted:
    ok: bool
    reason: str = ""
    contact_id: str | None = None
    listener_id: int | None = None
    kind: str = ""
    dropped: Dropped | None = None


@dataclass(frozen=True)
class Finished:
    """``outcome``: removed (was waiting), cancelled (was being offered), ended (was connected), unknown."""

    outcome: str
    listener_id: int | None = None
    listener_state: str = ""
    wrap_until_us: int | None = None  # set when this end started the listener's wrap-up


@dataclass(frozen=True)
class ListenerRecord:
    """A listener as the roster says they should be live: pools are empty when they may not be offered."""

    listener_id: int
    association_id: int
    pools: tuple[str, ...]
    on_shift: bool
    paused: bool
    capacity: int
    misses_before_pause: int


@dataclass(frozen=True)
class ContactRecord:
    """A contact as the database remembers it, for a rebuild."""

    contact_id: str
    association_id: int
    kind: str
    language: str
    priority: str
    arrival_us: int
    callback: bool
    state: str  # waiting | offered | connected
    listener_id: int | None = None
    offer_id: str = ""
    deadline_us: int = 0
    step: int = 0
    skip: tuple[int, ...] = field(default_factory=tuple)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _int(value: Any, default: int = 0) -> int:
    text = _text(value) if value is not None else ""
    return int(float(text)) if text else default


def wait_key(association_id: int, kind: str, language: str, priority: str) -> str:
    return f"{PREFIX}a:{association_id}:w:{kind}:{language}:{priority}"


def pool_key(association_id: int, kind: str, suffix: str) -> str:
    """One physical pool: the available listeners speaking a language at exactly that level."""
    return f"{PREFIX}a:{association_id}:{'vp' if kind == 'voice' else 'tp'}:{suffix}"


def level_suffixes(suffix: str) -> tuple[str, ...]:
    """The physical pools behind a policy pool: ``ta:fluent`` (fluent or better) is ``ta:native`` and
    ``ta:fluent``. ``live.lua`` (``level_suffixes``) applies the same rule inside the claim."""
    language, _, level = suffix.rpartition(":")
    levels = [p.value for p in LEVELS]
    return tuple(f"{language}:{name}" for name in levels[: levels.index(level) + 1])


class LiveState:
    """Routing's live state on one Redis connection (bytes mode; we decode)."""

    def __init__(self, client: redis.Redis, build_wait_seconds: float = 5.0) -> None:
        self.client = client
        self.build_wait_seconds = build_wait_seconds
        self._rebuild_token = ""
        scripts = _scripts_for(client)
        self._renew = scripts["_renew"]
        self._enqueue = scripts["_enqueue"]
        self._claim = scripts["_claim"]
        self._free = scripts["_free"]
        self._accept = scripts["_accept"]
        self._drop = scripts["_drop"]
        self._expire = scripts["_expire"]
        self._finish = scripts["_finish"]
        self._callback = scripts["_callback"]
        self._sync = scripts["_sync"]
        self._restore_listener = scripts["_restore_listener"]
        self._restore_contact = scripts["_restore_contact"]

    # ---- the sentinel and the rebuild ----

    def is_built(self) -> bool:
        return bool(self.client.exists(BUILT))

    def built_for(self) -> str | None:
        """The Redis run id the live state was built on: a different one means Redis restarted."""
        value = self.client.get(BUILT)
        return _text(value) if value is not None else None

    def server_run_id(self) -> str:
        return str(self.client.info("server")["run_id"])

    def begin_rebuild(self, seconds: int = REBUILD_LOCK_SECONDS) -> bool:
        """Only one process rebuilds at a time; the others wait for the sentinel. The lock holds a token of
        this LiveState's, so only the rebuilder can renew it (``renew_rebuild``) while the work goes on."""
        token = new_id()
        if not self.client.set(REBUILDING, token.encode(), nx=True, ex=seconds):
            return False
        self._rebuild_token = token
        return True

    def renew_rebuild(self, seconds: int = REBUILD_LOCK_SECONDS) -> bool:
        """Keep the rebuild lock for another ``seconds``: a long rebuild must not expire it and let a second
        process rebuild at the same time. False if the lock is not ours (any more)."""
        if not self._rebuild_token:
            return False
        return bool(self._renew(keys=[REBUILDING], args=[self._rebuild_token, seconds]))

    def wipe(self) -> None:
        """Forget every routing key (a stale snapshot after a restart): the database is the truth."""
        keys = [
            key for key in self.client.scan_iter(match=PREFIX + "*", count=1000) if key != REBUILDING.encode()
        ]
        for start in range(0, len(keys), 500):
            self.client.delete(*keys[start : start + 500])

    def restore_listener(
        self,
        record: ListenerRecord,
        now_us: int,
        state: str = "free",
        call: str = "",
        texts: int = 0,
        offer_id: str = "",
        wrap_until_us: int = 0,
    ) -> bool:
        """Recreate a listener's live state (``state``: free, offered, busy or wrapup), replacing any."""
        args = [*self._listener_args(record, now_us), state, call, texts, offer_id, wrap_until_us]
        return bool(self._restore_listener(args=args))

    def restore_contact(self, record: ContactRecord, now_us: int) -> None:
        args: list[Any] = [
            record.contact_id,
            record.association_id,
            record.kind,
            record.language,
            record.priority,
            record.arrival_us,
            "1" if record.callback else "0",
            record.state,
            record.listener_id or "",
            record.offer_id,
            record.deadline_us,
            record.step,
            now_us,
            *record.skip,
        ]
        self._restore_contact(args=args)

    def wait_for_build(self, run_id: str | None = None, pause_seconds: float = 0.05) -> bool:
        """Wait (at most ``build_wait_seconds``) for another process's rebuild: the sentinel set, and naming
        ``run_id`` when given (a stale snapshot's sentinel names an older run). False if it did not come."""
        deadline = time.monotonic() + self.build_wait_seconds
        while True:
            built_for = self.built_for()
            if built_for is not None and (run_id is None or built_for == run_id):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause_seconds)

    def mark_built(self, run_id: str) -> None:
        """Set the sentinel and release our rebuild lock (never another process's)."""
        self.client.set(BUILT, run_id.encode())
        if self._rebuild_token:
            self._renew(keys=[REBUILDING], args=[self._rebuild_token, 0])
            self._rebuild_token = ""

    # ---- contacts ----

    def enqueue(
        self,
        contact_id: str,
        association_id: int,
        kind: str,
        language: str,
        priority: str,
        arrival_us: int,
        skip: Iterable[int] = (),
    ) -> bool:
        """Add a waiting contact in arrival order; False if it was already queued."""
        args: list[Any] = [
            contact_id,
            association_id,
            kind,
            language,
            priority,
            arrival_us,
            *sorted(set(skip)),
        ]
        answer = _text(self._enqueue(args=args))
        self._check(answer)
        return answer == "ok"

    def claim(
        self, contact_id: str, pools: Sequence[str], now_us: int, deadline_us: int, offer_id: str, step: int
    ) -> int | None:
        """Reserve the longest-idle listener of ``pools`` for the contact; None if nobody fits or the contact
        is no longer waiting."""
        args = claim_args(contact_id, pools, now_us, deadline_us, offer_id, step)
        answer = [_text(v) for v in self._claim(args=args)]
        self._check(answer[0])
        return int(answer[1]) if answer[0] == "offer" else None

    def free_listener(
        self,
        listener_id: int,
        now_us: int,
        deadline_us: int,
        offer_id: str,
        queries: Sequence[QueueQuery],
        release: str = "",
        paused: bool | None = None,
        on_shift: bool | None = None,
        wrap_until_us: int | None = None,
    ) -> Freed:
        """The listener is free (after ``release``-ing wrap-up or a call, or a pause/shift change): offer them
        the contact they should take next in this same round trip, or put them in their pools.
        ``wrap_until_us``: act only if they are still in the wrap-up that ends then (a job scheduled for
        one wrap-up must not cut a later one short); otherwise the answer is ``engaged``."""
        args: list[Any] = [
            listener_id,
            now_us,
            deadline_us,
            offer_id,
            release,
            "" if paused is None else ("1" if paused else "0"),
            "" if on_shift is None else ("1" if on_shift else "0"),
            "" if wrap_until_us is None else wrap_until_us,
            len(queries),
        ]
        for query in queries:
            args += [query.kind, query.language, len(query.windows)]
            for window in query.windows:
                args += [window.lowest, window.highest, window.step]
        answer = [_text(v) for v in self._free(args=args)]
        self._check(answer[0])
        if answer[0] == "offer":
            return Freed("offered", answer[1], int(answer[2]))
        return Freed(answer[1] if len(answer) > 1 else answer[0])

    def accept(self, offer_id: str, now_us: int) -> Accepted:
        answer = [_text(v) for v in self._accept(args=[offer_id, now_us])]
        self._check(answer[0])
        if answer[0] == "ok":
            return Accepted(True, "", answer[1], int(answer[2]), answer[3])
        dropped = None
        if answer[1] == "expired":
            dropped = Dropped(offer_id, int(answer[2]), answer[3], answer[4] == "1")
        return Accepted(False, answer[1], dropped=dropped)

    def drop_offer(self, offer_id: str, now_us: int, why: str) -> Dropped | None:
        """``why`` is ``declined`` or ``missed`` (counted towards the automatic pause). None if already gone."""
        answer = [_text(v) for v in self._drop(args=[offer_id, now_us, why])]
        self._check(answer[0])
        if answer[0] != "ok":
            return None
        return Dropped(offer_id, int(answer[1]), answer[2], answer[3] == "1")

    def expire_due(self, now_us: int, limit: int = 1000) -> list[Dropped]:
        answer = [_text(v) for v in self._expire(args=[now_us, limit])]
        if answer[:1] == ["rebuild"]:
            raise LiveStateLostError()
        return [
            Dropped(answer[i], int(answer[i + 1]), answer[i + 2], answer[i + 3] == "1")
            for i in range(0, len(answer), 4)
        ]

    def finish(self, contact_id: str, now_us: int, wrap_until_us: int) -> Finished:
        answer = [_text(v) for v in self._finish(args=[contact_id, now_us, wrap_until_us])]
        self._check(answer[0])
        listener = int(answer[1]) if len(answer) > 1 and answer[1] else None
        wrap = int(answer[3]) if len(answer) > 3 else None
        return Finished(answer[0], listener, answer[2] if len(answer) > 2 else "", wrap)

    def request_callback(self, contact_id: str) -> bool:
        answer = _text(self._callback(args=[contact_id]))
        self._check(answer)
        return answer == "ok"

    # ---- listeners ----

    def sync_listeners(self, records: Iterable[ListenerRecord], now_us: int) -> dict[int, str]:
        """Apply the roster to many listeners in one pipelined round trip; returns each one's state."""
        records = list(records)
        if not records:
            return {}
        pipe = self.client.pipeline(transaction=False)
        for record in records:
            self._sync(args=self._listener_args(record, now_us), client=pipe)
        states = [_text(state) for state in pipe.execute()]
        if "rebuild" in states:
            raise LiveStateLostError()
        return dict(zip((record.listener_id for record in records), states, strict=True))

    @staticmethod
    def _listener_args(record: ListenerRecord, now_us: int) -> list[Any]:
        return [
            record.listener_id,
            record.association_id,
            " ".join(record.pools),
            "1" if record.on_shift else "0",
            "1" if record.paused else "0",
            record.capacity,
            record.misses_before_pause,
            now_us,
        ]

    def forget_wrapup(self, listener_id: int) -> None:
        self.client.zrem(WRAPUPS, listener_id)

    def due_wrapups(self, now_us: int, limit: int = 1000) -> list[int]:
        raw = self.client.zrangebyscore(WRAPUPS, "-inf", now_us, start=0, num=limit)
        return [int(_text(v)) for v in raw]

    # ---- reading (dashboards, preview, tests) ----

    def listener(self, listener_id: int) -> LiveListener | None:
        return self._to_listener(listener_id, self.client.hgetall(f"{PREFIX}l:{listener_id}"))

    def listeners(self, association_id: int) -> dict[int, LiveListener]:
        ids = sorted(int(v) for v in self.client.smembers(f"{PREFIX}a:{association_id}:listeners"))
        pipe = self.client.pipeline(transaction=False)
        for listener_id in ids:
            pipe.hgetall(f"{PREFIX}l:{listener_id}")
        found = {}
        for listener_id, raw in zip(ids, pipe.execute(), strict=True):
            live = self._to_listener(listener_id, raw)
            if live is not None:
                found[listener_id] = live
        return found

    @staticmethod
    def _to_listener(listener_id: int, raw: dict[Any, Any]) -> LiveListener | None:
        if not raw:
            return None
        h = {_text(k): _text(v) for k, v in raw.items()}
        return LiveListener(
            listener_id=listener_id,
            association_id=_int(h.get("a")),
            state=h.get("st", "offline"),
            pools=tuple(h.get("pools", "").split()),
            on_shift=h.get("on") == "1",
            paused=h.get("paused") == "1",
            texts=_int(h.get("texts")),
            capacity=_int(h.get("cap")),
            idle_since_us=_int(h.get("idle")),
            offer_id=h.get("offer", ""),
            call_contact=h.get("call", ""),
            misses=_int(h.get("miss")),
            wrap_until_us=_int(h.get("wrap")),
        )

    def contact(self, contact_id: str) -> LiveContact | None:
        return self._to_contact(contact_id, self.client.hgetall(f"{PREFIX}c:{contact_id}"))

    @staticmethod
    def _to_contact(contact_id: str, raw: dict[Any, Any]) -> LiveContact | None:
        if not raw:
            return None
        h = {_text(k): _text(v) for k, v in raw.items()}
        return LiveContact(
            contact_id=contact_id,
            association_id=_int(h.get("a")),
            kind=h["kind"],
            language=h["lang"],
            priority=h["prio"],
            arrival_us=_int(h.get("arr")),
            state=h.get("st", ""),
            callback=h.get("cb") == "1",
            offer_id=h.get("offer", ""),
            listener_id=_int(h["l"]) if h.get("l") else None,
            excluding=h.get("skip") == "1",
        )

    def waiting(self, association_id: int) -> list[LiveContact]:
        """Every waiting contact of the association, crisis first, then by arrival."""
        queues = sorted(_text(v) for v in self.client.smembers(f"{PREFIX}a:{association_id}:queues"))
        pipe = self.client.pipeline(transaction=False)
        for queue in queues:
            kind, language = queue.split(":", 1)
            for priority in PRIORITIES:
                pipe.zrange(wait_key(association_id, kind, language, priority), 0, -1)
        ids = [_text(v) for members in pipe.execute() for v in members]
        for contact_id in ids:
            pipe.hgetall(f"{PREFIX}c:{contact_id}")
        contacts = [self._to_contact(cid, raw) for cid, raw in zip(ids, pipe.execute(), strict=True)]
        found = [c for c in contacts if c is not None]
        return sorted(found, key=lambda c: (PRIORITIES.index(c.priority), c.arrival_us, c.contact_id))

    def offer(self, offer_id: str) -> LiveOffer | None:
        h = {_text(k): _text(v) for k, v in self.client.hgetall(f"{PREFIX}o:{offer_id}").items()}
        if not h or "gone" in h:
            return None
        return LiveOffer(offer_id, h["c"], int(h["l"]), int(h["a"]), h["kind"], int(h["dl"]), int(h["step"]))

    def pool_members(self, association_id: int, kind: str, suffix: str) -> dict[int, int]:
        """Listener id -> idle since (µs) for one policy pool (``ta:fluent``: fluent or better)."""
        pipe = self.client.pipeline(transaction=False)
        for level in level_suffixes(suffix):
            pipe.zrange(pool_key(association_id, kind, level), 0, -1, withscores=True)
        return {int(_text(member)): int(score) for raw in pipe.execute() for member, score in raw}

    def pool_sizes(self, association_id: int, kind: str, suffixes: Sequence[str]) -> dict[str, int]:
        """How many are free in each policy pool (``ta:conversational``: every free Tamil speaker)."""
        pipe = self.client.pipeline(transaction=False)
        for suffix in suffixes:
            for level in level_suffixes(suffix):
                pipe.zcard(pool_key(association_id, kind, level))
        counts = iter(int(n) for n in pipe.execute())
        return {suffix: sum(next(counts) for _ in level_suffixes(suffix)) for suffix in suffixes}

    def waiting_count(self, association_id: int, kind: str, language: str) -> int:
        pipe = self.client.pipeline(transaction=False)
        for priority in PRIORITIES:
            pipe.zcard(wait_key(association_id, kind, language, priority))
        return sum(int(n) for n in pipe.execute())

    @staticmethod
    def _check(answer: str) -> None:
        if answer == "rebuild":
            raise LiveStateLostError()
