"""The report: per local period and language, what happened to the contacts that arrived in it.

Computed in the database from the contact records: one grouped query over ``contacts`` (and the crisis exits
of ``voice_calls``), one over ``callbacks``, the same SQL text on SQLite and PostgreSQL, served by the
``(association_id, arrival_us)`` index. Each row holds sums, so rows add up (a day is its hours); the
figures (ASA, service level, AHT) are derived from the sums. Definitions and sources: docs/reports.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

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
  SUM(CASE WHEN {ANSWERED} THEN c.connected_us - c.arrival_us ELSE 0 END) AS wait_us,
  SUM(CASE WHEN {ABANDONED} THEN 1 ELSE 0 END) AS abandoned,
  SUM(CASE WHEN {ABANDONED} AND c.ended_us - c.arrival_us < :short_us THEN 1 ELSE 0 END) AS short_abandoned,
  SUM(CASE WHEN {ABANDONED} THEN c.ended_us - c.arrival_us ELSE 0 END) AS abandoned_wait_us,
  SUM(CASE WHEN {HANDLED} THEN 1 ELSE 0 END) AS handled,
  SUM(CASE WHEN {HANDLED} THEN c.ended_us - c.connected_us ELSE 0 END) AS handle_us,
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


@dataclass
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
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
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
    assert association.id is not None
    tallies = _contact_tallies(session, association, window)
    _add_callbacks(session, association.id, window, tallies)
    for key, shift_us in shift_hours(session, association.id, window).items():
        tallies.setdefault(key, Tally()).shift_us += shift_us
    if languages:
        tallies = {key: tally for key, tally in tallies.items() if key[1] in languages}
    return _assemble(association, window, tallies)


def _params(association_id: int, window: ReportRange) -> tuple[str, dict[str, int]]:
    slot, params = window.slot_sql("c.arrival_us")
    params |= {"association_id": association_id, "start_us": to_us(window.start), "end_us": to_us(window.end)}
    return slot, params


def _contact_tallies(
    session: Session, association: Association, window: ReportRange
) -> dict[tuple[int, str], Tally]:
    assert association.id is not None
    slot, params = _params(association.id, window)
    params |= {
        "target_us": association.answer_target_seconds * US,
        "short_us": association.short_abandon_seconds * US,
    }
    tallies: dict[tuple[int, str], Tally] = {}
    for row in session.connection().execute(text(CONTACTS_SQL.format(slot=slot)), params).mappings():
        counts = {name: int(value) for name, value in row.items() if name != "language"}
        tally = tallies.setdefault((counts["slot"], row["language"]), Tally())
        tally.add(_call_tally(counts) if counts["is_call"] else _text_tally(counts))
    return tallies


def _call_tally(row: dict[str, int]) -> Tally:
    return Tally(
        calls_offered=row["offered"], calls_answered=row["answered"], calls_in_target=row["in_target"],
        calls_wait_us=row["wait_us"], calls_abandoned=row["abandoned"],
        calls_short_abandoned=row["short_abandoned"], calls_abandoned_wait_us=row["abandoned_wait_us"],
        calls_handled=row["handled"], calls_handle_us=row["handle_us"],
        callbacks_requested=row["callbacks_requested"], crisis_presses=row["crisis"],
        crisis_transfers=row["crisis_transfers"],
    )  # fmt: skip


def _text_tally(row: dict[str, int]) -> Tally:
    return Tally(
        texts_offered=row["offered"], texts_answered=row["answered"], texts_wait_us=row["wait_us"],
        texts_abandoned=row["abandoned"], crisis_texts=row["crisis"],
    )  # fmt: skip


def _add_callbacks(
    session: Session, association_id: int, window: ReportRange, tallies: dict[tuple[int, str], Tally]
) -> None:
    slot, params = _params(association_id, window)
    for row in session.connection().execute(text(CALLBACKS_SQL.format(slot=slot)), params).mappings():
        tally = tallies.setdefault((int(row["slot"]), row["language"]), Tally())
        tally.callbacks_made += int(row["made"])
        tally.callbacks_failed += int(row["failed"])


def _assemble(association: Association, window: ReportRange, tallies: dict[tuple[int, str], Tally]) -> Report:
    rows = [
        ReportRow(window.slot_start(slot), language, tally)
        for (slot, language), tally in sorted(tallies.items())
    ]
    by_language: dict[str, ReportRow] = {}
    total = ReportRow(None, None)
    for row in rows:
        assert row.language is not None
        by_language.setdefault(row.language, ReportRow(None, row.language)).tally.add(row.tally)
        total.tally.add(row.tally)
    return Report(
        window,
        association.short_abandon_seconds,
        association.answer_target_seconds,
        rows,
        [by_language[code] for code in sorted(by_language)],
        total,
    )
