"""A listener's YES or NO to their newest roster question (a reminder or an invitation), in English or
their language (``locales.replies``), or a tapped quick reply (its payload). The text channel asks here
first for every message from a listener's number; a message that is not such an answer, or a plain word
from a listener busy in a text conversation (it may be meant for the doctor they are talking to), is left
to the text channel. A doctor's text is never read here: only a number known as a listener's reaches it.

YES to a reminder confirms; NO opens the occurrence. YES to an invitation takes the open shift, the first
one only: the take is claimed (``taken:<open shift>``), so two listeners answering at once cannot both have
it, and the later one is told it is filled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session, select

from locales import messages
from locales.replies import Answer, match_button, match_reply
from routing.configuration.audit import Actor
from routing.errors import RoutingError
from routing.roster.handover import take
from routing.roster.invitations import describe_open, open_occurrence
from routing.roster.notices import ACTOR, audit, claim, latest_question
from routing.roster.reminders import describe_slot, epoch_of, find_slot, say
from schemas.database import insert_new
from schemas.tables import ConfirmationStatus, Listener, OpenShift, RosterNotice, ShiftConfirmation


@dataclass
class RosterReply:
    """What to answer the listener at once; ``changed``: the roster moved (an occurrence opened or was
    taken), so the worker's planning should run now rather than at its next tick."""

    reason: str
    replies: list[str] = field(default_factory=list)
    changed: bool = False


def take_reply(
    session: Session, listener: Listener, body: str, payload: str | None, now: datetime, *, busy: bool
) -> RosterReply | None:
    assert listener.id is not None
    answer = match_button(payload)
    if answer is None and not busy:
        answer = match_reply(body, listener.prompt_language)
    question = latest_question(session, listener.id) if answer is not None else None
    if answer is None or question is None:
        return None
    if question.kind == "reminder":
        return _answer_reminder(session, listener, question, answer, now)
    return _answer_invitation(session, listener, question, answer, now)


def _answer_reminder(
    session: Session, listener: Listener, question: RosterNotice, answer: Answer, now: datetime
) -> RosterReply | None:
    assert question.shift_id is not None and question.starts_at_epoch is not None
    slot = find_slot(session, question.shift_id, question.starts_at_epoch)
    confirmation = session.exec(
        select(ShiftConfirmation).where(
            ShiftConfirmation.shift_id == question.shift_id,
            ShiftConfirmation.starts_at_epoch == question.starts_at_epoch,
        )
    ).first()
    _mark_answered(session, question, answer)
    if slot is None or confirmation is None or slot.occurrence.start <= now:
        return None  # a shift given up meanwhile, or over: the word is an ordinary message
    locale, values = listener.prompt_language, describe_slot(session, slot, listener.prompt_language)
    if confirmation.status in (ConfirmationStatus.declined, ConfirmationStatus.unanswered):
        if answer == "YES" and confirmation.open_shift_id is not None:
            return _take_open(session, listener, confirmation.open_shift_id, now)
        return RosterReply("shift already open", [say(locale, messages.SHIFT_DECLINED, **values)])
    if answer == "YES":
        confirmation.status, confirmation.answered_at = ConfirmationStatus.confirmed, now
        session.add(confirmation)
        audit(session, listener.association_id, "confirm", "shift", question.shift_id, now,
              starts_at=slot.occurrence.start, listener_id=listener.id)  # fmt: skip
        return RosterReply("shift confirmed", [say(locale, messages.SHIFT_CONFIRMED, **values)])
    open_occurrence(session, slot, confirmation, ConfirmationStatus.declined, now)
    return RosterReply("shift declined", [say(locale, messages.SHIFT_DECLINED, **values)], changed=True)


def _mark_answered(session: Session, question: RosterNotice, answer: Answer) -> None:
    """All the occurrence's reminders are answered by one reply (the 24-hour one and the 1-hour one)."""
    query = select(RosterNotice).where(
        RosterNotice.kind == question.kind,
        RosterNotice.listener_id == question.listener_id,
        RosterNotice.shift_id == question.shift_id,
        RosterNotice.starts_at_epoch == question.starts_at_epoch,
        RosterNotice.open_shift_id == question.open_shift_id,
        RosterNotice.answer == "",
    )
    for row in session.exec(query).all():
        row.answer = answer
        session.add(row)


def _answer_invitation(
    session: Session, listener: Listener, question: RosterNotice, answer: Answer, now: datetime
) -> RosterReply | None:
    assert question.open_shift_id is not None
    _mark_answered(session, question, answer)
    if answer == "NO":
        audit(session, listener.association_id, "pass", "open_shift", question.open_shift_id, now,
              listener_id=listener.id)  # fmt: skip
        return RosterReply("invitation passed", [say(listener.prompt_language, messages.INVITATION_PASSED)])
    return _take_open(session, listener, question.open_shift_id, now)


def _take_open(session: Session, listener: Listener, open_shift_id: int, now: datetime) -> RosterReply:
    row = session.get(OpenShift, open_shift_id)
    assert row is not None and listener.id is not None
    locale = listener.prompt_language
    values = describe_open(session, row, locale)
    filled = RosterReply("open shift already taken", [say(locale, messages.SHIFT_FILLED, **values)])
    start = datetime.fromtimestamp(row.starts_at_epoch, UTC)
    if row.taken_by is not None or start <= now:
        return filled
    if not claim(session, row.association_id, f"taken:{row.id}", "taken", now, listener_id=listener.id,
                 open_shift_id=row.id):  # fmt: skip
        return filled
    try:
        take(session, row.association_id, listener.id, open_shift_id, Actor(ACTOR, now))
    except RoutingError:
        return filled
    session.flush()
    _confirmed(session, row, listener.id, start, now)
    audit(session, row.association_id, "take", "open_shift", row.id, now, listener_id=listener.id)
    return RosterReply("open shift taken", [say(locale, messages.SHIFT_TAKEN, **values)], changed=True)


def _confirmed(session: Session, row: OpenShift, listener_id: int, start: datetime, now: datetime) -> None:
    """The taker said YES already: their new shift is confirmed, so its reminders' deadline leaves it be."""
    assert row.taken_shift_id is not None
    insert_new(session, ShiftConfirmation, association_id=row.association_id, shift_id=row.taken_shift_id,
               listener_id=listener_id, starts_at_epoch=epoch_of(start), status=ConfirmationStatus.confirmed,
               answered_at=now)  # fmt: skip


__all__ = ["RosterReply", "take_reply"]
