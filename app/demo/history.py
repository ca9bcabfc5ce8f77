"""A synthetic history for the demo (``samvaad seed-demo --history 8w``) and the benchmarks: contacts as
routing would have recorded them, so that reports and staffing have something to show.

Seeded, so a run is reproducible. Arrivals are Poisson in every local hour, heavier in the evening and
lighter before dawn, shared among the association's languages unevenly; callers wait an exponential time
that grows with the hour's load and hang up when their own exponential patience runs out first; some ask for
a callback, a few press 0 for the crisis line, a quarter of the contacts are texts.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, select

from routing.configuration import list_languages
from routing.engine.live.keys import from_us, to_us
from routing.roster import list_listeners, spoken_languages
from schemas.tables import Association, Callback, Contact, VoiceCall

# Share of a day's contacts in each local hour (sums to 1): quiet before dawn, busiest late evening.
HOURLY = [1.0, 0.7, 0.5, 0.4, 0.4, 0.5, 0.8, 1.2, 1.6, 1.8, 1.9, 1.9,
          1.8, 1.7, 1.7, 1.8, 1.9, 2.0, 2.2, 2.5, 2.8, 3.0, 2.6, 1.6]  # fmt: skip
HOURLY_SHARE = [weight / sum(HOURLY) for weight in HOURLY]
LANGUAGE_WEIGHTS = {"hi": 4.0, "en": 2.5, "ta": 2.0, "bn": 1.5, "mr": 1.2, "te": 1.2, "kn": 1.0, "ml": 1.0}
BATCH = 5_000


@dataclass(frozen=True)
class HistoryPlan:
    association_id: int
    languages: list[str]
    listeners: dict[str, list[int]]  # language -> listeners who speak it
    start: datetime
    end: datetime
    timezone: str = "Asia/Kolkata"
    per_day: float = 60.0
    seed: int = 2026


def write_history(
    session: Session, plan: HistoryPlan, progress: Callable[[int, int], None] | None = None
) -> int:
    """Insert the history in batches (no commit) and return how many contacts it wrote."""
    days = max(1, math.ceil((plan.end - plan.start).total_seconds() / 86400))
    written = 0
    rows: dict[str, list[dict[str, Any]]] = {"contacts": [], "callbacks": [], "calls": []}
    for day, contact, extras in _contacts(plan):
        rows["contacts"].append(contact)
        for kind, extra in extras:
            rows[kind].append(extra)
        if len(rows["contacts"]) >= BATCH:
            written += _flush(session, rows)
            if progress:
                progress(day + 1, days)
    written += _flush(session, rows)
    if progress:
        progress(days, days)
    return written


def _flush(session: Session, rows: dict[str, list[dict[str, Any]]]) -> int:
    count = len(rows["contacts"])
    tables: tuple[tuple[str, Any], ...] = (
        ("contacts", Contact),
        ("callbacks", Callback),
        ("calls", VoiceCall),
    )
    for kind, table in tables:
        if rows[kind]:
            session.execute(insert(table.__table__), rows[kind])
            rows[kind] = []
    return count


def _contacts(plan: HistoryPlan) -> Iterator[tuple[int, dict[str, Any], list[tuple[str, dict[str, Any]]]]]:
    rng = random.Random(plan.seed)
    zone = ZoneInfo(plan.timezone)
    weights = [LANGUAGE_WEIGHTS.get(code, 0.8) for code in plan.languages]
    shares = [w / sum(weights) for w in weights]
    start_us, end_us = to_us(plan.start), to_us(plan.end)
    hour_us = 3_600_000_000
    for index, hour_start in enumerate(range(start_us - start_us % hour_us, end_us, hour_us)):
        local_hour = from_us(hour_start).astimezone(zone).hour
        load = HOURLY_SHARE[local_hour] * 24  # 1.0 is an average hour
        for language, share in zip(plan.languages, shares, strict=True):
            for _ in range(_poisson(rng, plan.per_day / 24 * load * share)):
                arrival = hour_start + rng.randrange(hour_us)
                if start_us <= arrival < end_us:
                    yield index // 24, *_one(rng, plan, language, arrival, load)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: the means here are small (a few contacts an hour)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _one(
    rng: random.Random, plan: HistoryPlan, language: str, arrival: int, load: float
) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """One contact and what went with it (a callback row, a crisis exit), decided by its wait and patience."""
    voice = rng.random() < 0.75
    contact = _row(plan, language, arrival, voice, rng)
    wait = rng.expovariate(1 / (15 + 25 * load)) if voice else rng.expovariate(1 / (120 + 240 * load))
    patience = rng.expovariate(1 / 150) if voice else rng.expovariate(1 / 1800)
    listener = rng.choice(plan.listeners.get(language) or [None])
    extras: list[tuple[str, dict[str, Any]]] = []
    if voice and contact["priority"] == "normal" and rng.random() < 0.012:
        _end(contact, arrival + min(wait, patience, 120) * 1e6, "abandoned")
        extras.append(("calls", _crisis_exit(plan, contact, arrival)))
    elif voice and wait > 40 and rng.random() < 0.2:
        extras.append(("callbacks", _callback(rng, plan, contact, arrival, listener)))
    elif patience < wait:
        _end(contact, arrival + patience * 1e6, "abandoned")
    else:
        talk = rng.lognormvariate(math.log(11 * 60 if voice else 25 * 60), 0.6)
        _connect(contact, listener, arrival + wait * 1e6, talk)
    return contact, extras


def _row(plan: HistoryPlan, language: str, arrival: int, voice: bool, rng: random.Random) -> dict[str, Any]:
    crisis = rng.random() < (0.02 if voice else 0.01)
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "association_id": plan.association_id,
        "channel": "voice" if voice else rng.choice(("whatsapp", "whatsapp", "sms")),
        "language": language,
        "priority": "crisis" if crisis else "normal",
        "caller_hash": f"demo-{rng.getrandbits(64):016x}",
        "status": "waiting",
        "callback_requested": False,
        "exclude_institution": "",
        "exclude_city": "",
        "arrival_us": arrival,
        "created_at": from_us(arrival),
        "listener_id": None,
        "offer_id": None,
        "offer_deadline_us": None,
        "connected_at": None,
        "ended_at": None,
        "connected_us": None,
        "ended_us": None,
    }


def _end(contact: dict[str, Any], at: float, status: str) -> None:
    contact.update(status=status, ended_us=round(at), ended_at=from_us(round(at)))


def _connect(contact: dict[str, Any], listener: int | None, at: float, talk: float) -> None:
    contact.update(listener_id=listener, connected_us=round(at), connected_at=from_us(round(at)))
    _end(contact, at + talk * 1e6, "ended")


def _callback(
    rng: random.Random, plan: HistoryPlan, contact: dict[str, Any], arrival: int, listener: int | None
) -> dict[str, Any]:
    contact["callback_requested"] = True
    reached = rng.random() < 0.8
    later = arrival + rng.uniform(10, 90) * 60e6
    if reached:
        _connect(contact, listener, later, rng.lognormvariate(math.log(11 * 60), 0.6))
    else:
        _end(contact, later, "abandoned")
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "contact_id": contact["id"],
        "association_id": plan.association_id,
        "language": contact["language"],
        "helpline": "+910000000000",
        "number_encrypted": None,
        "attempts": 1 if reached else 3,
        "max_attempts": 3,
        "status": "connected" if reached else "failed",
        "outcome": "answered" if reached else "no-answer",
        "next_attempt_at": None,
        "created_at": from_us(arrival),
        "finished_at": from_us(round(later)),
    }


def _crisis_exit(plan: HistoryPlan, contact: dict[str, Any], arrival: int) -> dict[str, Any]:
    return {
        "call_sid": f"CAdemo{contact['id'].replace('-', '')}",
        "association_id": plan.association_id,
        "helpline": "+910000000000",
        "language": contact["language"],
        "contact_id": contact["id"],
        "queue_sid": None,
        "exit_reason": "crisis",
        "created_at": from_us(arrival),
        "ended_at": contact["ended_at"],
    }


SPAN_UNITS = {"d": 1, "w": 7, "y": 365}
HISTORY_HELP = "--history takes days, weeks or years, at most two years: 30d, 8w, 1y"


def is_history_span(text: str) -> bool:
    if len(text) < 2 or text[-1] not in SPAN_UNITS or not text[:-1].isdigit():
        return False
    return 0 < int(text[:-1]) * SPAN_UNITS[text[-1]] <= 730


def history_span(text: str, now: datetime) -> tuple[datetime, datetime]:
    """``8w``, ``30d`` or ``1y`` before ``now``."""
    if not is_history_span(text):
        raise ValueError(HISTORY_HELP)
    return now - timedelta(days=int(text[:-1]) * SPAN_UNITS[text[-1]]), now


def seed_history(
    session: Session, association_id: int, span: str, now: datetime, progress: Callable[[int, int], None]
) -> int:
    """The demo's history, once: nothing is written when the association already has contacts."""
    if session.exec(select(Contact.id).where(Contact.association_id == association_id)).first():
        return 0
    association = session.get(Association, association_id)
    assert association is not None
    start, end = history_span(span, now)
    languages = [row.code for row in list_languages(session, association_id) if row.enabled]
    listeners = [row.id for row in list_listeners(session, association_id) if row.id is not None]
    speakers: dict[str, list[int]] = {}
    for listener_id, spoken in spoken_languages(session, listeners).items():
        for row in spoken:
            speakers.setdefault(row.code, []).append(listener_id)
    plan = HistoryPlan(association_id, languages, speakers, start, end, association.timezone)
    return write_history(session, plan, progress)
