"""The report: per local period and language, what happened to the contacts that arrived in it.

Computed in the database from the contact records: one grouped query over ``contacts`` (and the crisis exits
of ``voice_calls``), one over ``callbacks``, the same SQL text on SQLite and PostgreSQL, read from the
covering index ``ix_contacts_reports``. Each row holds sums, so rows add up (a day is its hours); the
figures (ASA, service level, AHT) are derived from the sums. Definitions and sources: docs/reports.md.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter

from sqlalchemy import text
from sqlmodel import Session

from routing.configuration import list_languages
from routing.engine.live.keys import to_us
from routing.reports.periods import ReportRange
from routing.reports.shift_hours import shift_hours
from schemas.tables import Association

US = 1_000_000

# A contact is *answered* when a listener was connected while the caller waited (a callback, connected
# later, is counted as a callback); *abandoned* when it ended unconnected, without a callback and without
# a transfer to the crisis line.
ANSWERED = "c.connected_us IS NOT NULL AND NOT c.callback_requested"
ABANDONED = (
    "c.connected_us IS NULL AND c.ended_us IS NOT NULL AND NOT c.callback_requested AND v.contact_id IS NULL"
)
HANDLED = "c.connected_us IS NOT NULL AND c.ended_us IS NOT NULL"

CONTACTS_SQL = f"""
SELECT {{slot}} AS slot, c.language AS language, CASE WHEN c.channel = 'voice' THEN 1 ELSE 0 END AS is_call,
  COUNT(*) AS offered,
  SUM(CASE WHEN {ANSWERED} THEN 1 ELSE 0 END) AS answered,
  SUM(CASE WHEN {ANSWERED} AND c.connected_us - c.arrival_us <= :target_us THEN 1 ELSE 0 END) AS in_target,
  CAST(SUM(CASE WHEN {ANSWERED} THEN c.connected_us - c.arrival_us ELSE 0 END) AS BIGINT) AS wait_us,
  SUM(CASE WHEN {ABANDONED} THEN 1 ELSE 0 END) AS abandoned,
  SUM(CASE WHEN {ABANDONED} AND c.ended_us - c.arrival_us < :short_us THEN 1 ELSE 0 END) AS short_abandoned,
  CAST(SUM(CASE WHEN {ABANDONED} THEN c.ended_us - c.arrival_us ELSE 0 END) AS BIGINT) AS abandoned_wait_us,
  SUM(CASE WHEN {HANDLED} THEN 1 ELSE 0 END) AS handled,
  CAST(SUM(CASE WHEN {HANDLED} THEN c.ended_us - c.connected_us ELSE 0 END) AS BIGINT) AS handle_us,
  SUM(CASE WHEN c.callback_requested THEN 1 ELSE 0 END) AS callbacks_requested,
  SUM(CASE WHEN c.priority = 'crisis' THEN 1 ELSE 0 END) AS crisis,
  SUM(CASE WHEN v.contact_id IS NOT NULL THEN 1 ELSE 0 END) AS crisis_transfers
FROM contacts c
LEFT JOIN voice_calls v ON v.contact_id = c.id AND v.exit_reason = 'crisis'
WHERE c.association_id = :association_id AND c.arrival_us >= :start_us AND c.arrival_us < :end_us
GROUP BY 1, 2, 3
"""

CALLBACKS_SQL = """
SELECT {slot} AS slot, c.language AS language,
  SUM(CASE WHEN b.status = 'connected' THEN 1 ELSE 0 END) AS made,
  SUM(CASE WHEN b.status = 'failed' THEN 1 ELSE 0 END) AS failed
FROM callbacks b JOIN contacts c ON c.id = b.contact_id
WHERE b.association_id = :association_id AND c.arrival_us >= :start_us AND c.arrival_us < :end_us
GROUP BY 1, 2
"""


@dataclass(slots=True)
class Tally:
    """Additive counts and sums (microseconds) of one period and language; calls and texts apart."""

    calls_offered: int = 0
    calls_answered: int = 0
    calls_in_target: int = 0
    calls_wait_us: int = 0
    calls_abandoned: int = 0
    calls_short_abandoned: int = 0
    calls_abandoned_wait_us: int = 0
    calls_handled: int = 0
    calls_handle_us: int = 0
    texts_offered: int = 0
    texts_answered: int = 0
    texts_wait_us: int = 0
    texts_abandoned: int = 0
    callbacks_requested: int = 0
    callbacks_made: int = 0
    callbacks_failed: int = 0
    crisis_presses: int = 0
    crisis_texts: int = 0
    crisis_transfers: int = 0
    shift_us: int = 0

    def add(self, other: Tally) -> None:
        for name in TALLY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


TALLY_FIELDS = tuple(f.name for f in fields(Tally))
tally_values = attrgetter(*TALLY_FIELDS)


@dataclass(slots=True)
class ReportRow:
    """One period (``None``: the whole range) and language (``None``: all languages)."""

    period_start: datetime | None
    language: str | None
    tally: Tally = field(default_factory=Tally)

    @property
    def asa_seconds(self) -> float | None:
        t = self.tally
        return t.calls_wait_us / US / t.calls_answered if t.calls_answered else None

    @property
    def texts_asa_seconds(self) -> float | None:
        t = self.tally
        return t.texts_wait_us / US / t.texts_answered if t.texts_answered else None

    @property
    def service_level(self) -> float | None:
        """Answered within the target, of the calls offered less the short abandons."""
        t = self.tally
        counted = t.calls_offered - t.calls_short_abandoned
        return t.calls_in_target / counted if counted > 0 else None

    @property
    def abandon_rate(self) -> float | None:
        t = self.tally
        counted = t.calls_offered - t.calls_short_abandoned
        return (t.calls_abandoned - t.calls_short_abandoned) / counted if counted > 0 else None

    @property
    def aht_seconds(self) -> float | None:
        t = self.tally
        return t.calls_handle_us / US / t.calls_handled if t.calls_handled else None

    @property
    def shift_hours(self) -> float:
        return self.tally.shift_us / US / 3600

    @property
    def call_hours(self) -> float:
        return self.tally.calls_handle_us / US / 3600


@dataclass(frozen=True)
class Report:
    range: ReportRange
    short_abandon_seconds: int
    answer_target_seconds: int
    rows: list[ReportRow]  # by period, then language
    by_language: list[ReportRow]  # the whole range, per language
    total: ReportRow


def build_report(
    session: Session, association: Association, window: ReportRange, languages: frozenset[str] = frozenset()
) -> Report:
    """The figures of ``window`` per period and language (only ``languages``, when given)."""
    with _collection_paused():
        return _build_report(session, association, window, languages)


@contextmanager
def _collection_paused() -> Iterator[None]:
    """A year by hour makes some 150,000 short-lived objects (rows, tallies, keys): the cyclic garbage
    collector ran a full pass over the process's heap several times while they were made, a third of the
    report's time. Nothing here makes cycles, so the pause frees nothing late; it ends with the report."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_report(
    session: Session, association: Association, window: ReportRange, languages: frozenset[str]
) -> Report:
    assert association.id is not None
    tallies = contact_tallies(session, association, window)
    _add_callbacks(session, association.id, window, tallies)
    # Listeners' time on shift counts in the menu's languages (and any a contact came in), not in every
    # language a listener happens to speak.
    counted = {row.code for row in list_languages(session, association.id)} | {key[1] for key in tallies}
    for key, shift_us in shift_hours(session, association.id, window).items():
        if key[1] in counted:
            tallies.setdefault(key, Tally()).shift_us += shift_us
    if languages:
        tallies = {key: tally for key, tally in tallies.items() if key[1] in languages}
    return _assemble(association, window, tallies)


def _params(association_id: int, window: ReportRange) -> tuple[str, dict[str, int]]:
    slot, params = window.slot_sql("c.arrival_us")
    params |= {"association_id": association_id, "start_us": to_us(window.start), "end_us": to_us(window.end)}
    return slot, params


def contact_tallies(
    session: Session, association: Association, window: ReportRange
) -> dict[tuple[int, str], Tally]:
    """The grouped query gives each (period, language) at most one row of calls and one of texts: they are
    placed, not added (an hourly year is tens of thousands of rows). Sums of microseconds are cast to
    BIGINT so PostgreSQL answers integers, as SQLite does."""
    assert association.id is not None
    slot, params = _params(association.id, window)
    params |= {
        "target_us": association.answer_target_seconds * US,
        "short_us": association.short_abandon_seconds * US,
    }
    tallies: dict[tuple[int, str], Tally] = {}
    for slot_number, language, is_call, *v in (
        session.connection().execute(text(CONTACTS_SQL.format(slot=slot)), params).all()
    ):
        key = (int(slot_number), language)
        if is_call:
            calls = Tally(*v[:9], 0, 0, 0, 0, v[9], 0, 0, v[10], 0, v[11], 0)  # type: ignore[call-arg]
            texts = tallies.get(key)
            if texts is not None:
                calls.texts_offered, calls.texts_answered = texts.texts_offered, texts.texts_answered
                calls.texts_wait_us, calls.texts_abandoned = texts.texts_wait_us, texts.texts_abandoned
                calls.crisis_texts = texts.crisis_texts
            tallies[key] = calls
        else:
            tally = tallies.setdefault(key, Tally())
            tally.texts_offered, tally.texts_answered, tally.texts_wait_us = v[0], v[1], v[3]
            tally.texts_abandoned, tally.crisis_texts = v[4], v[10]
    return tallies


def _add_callbacks(
    session: Session, association_id: int, window: ReportRange, tallies: dict[tuple[int, str], Tally]
) -> None:
    slot, params = _params(association_id, window)
    for slot_number, language, made, failed in (
        session.connection().execute(text(CALLBACKS_SQL.format(slot=slot)), params).all()
    ):
        tally = tallies.setdefault((int(slot_number), language), Tally())
        tally.callbacks_made += int(made)
        tally.callbacks_failed += int(failed)


def _assemble(association: Association, window: ReportRange, tallies: dict[tuple[int, str], Tally]) -> Report:
    """Rows in order, then the sums per language and in all. A year by hour is some 35,000 rows: each period's
    start is made once (not once per language), and the sums are added column by column, not row by row."""
    starts: dict[int, datetime] = {}
    rows = []
    for slot, language in sorted(tallies):
        start = starts.get(slot)
        if start is None:
            start = starts[slot] = window.slot_start(slot)
        rows.append(ReportRow(start, language, tallies[(slot, language)]))
    columns: dict[str, list[tuple[int, ...]]] = {}
    for (_slot, language), tally in tallies.items():
        columns.setdefault(language, []).append(tally_values(tally))
    sums = {code: [sum(column) for column in zip(*values, strict=True)] for code, values in columns.items()}
    by_language = [ReportRow(None, code, Tally(*sums[code])) for code in sorted(sums)]
    total = [sum(column) for column in zip(*sums.values(), strict=True)] if sums else [0] * len(TALLY_FIELDS)
    return Report(
        window,
        association.short_abandon_seconds,
        association.answer_target_seconds,
        rows,
        by_language,
        ReportRow(None, None, Tally(*total)),
    )
