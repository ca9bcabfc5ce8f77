"""Shifts: one-off or weekly (any daily, weekly or monthly RRULE), in local time of an IANA zone."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.auth import ActorDep, ItemId, ScopedAssociation, id_of
from app.deps import SessionDep, commit
from routing import roster
from routing.engine.shift_rules import zone
from routing.errors import InvalidConfigurationError
from schemas.api import MAX_ID, Moment, OccurrenceRead, ShiftCreate, ShiftRead, ShiftUpdate
from schemas.tables import Association, Shift

router = APIRouter(prefix="/associations/{association_id}/shifts", tags=["shifts"])


def in_zone(moment: datetime, association: Association) -> datetime:
    """A moment sent without an offset is read in the association's time zone."""
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone(association.timezone))


def present_shift(row: Shift) -> ShiftRead:
    """The start shown with the shift zone's offset: the local wall-clock time and the instant at once."""
    shown = ShiftRead.model_validate(row)
    return shown.model_copy(update={"starts_at": row.starts_at.astimezone(zone(row.timezone))})


@router.get("", response_model=list[ShiftRead])
def list_shifts(
    association: ScopedAssociation,
    session: SessionDep,
    listener_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    window_from: Annotated[Moment | None, Query(alias="from", description="Expand occurrences from")] = None,
    window_to: Annotated[Moment | None, Query(alias="to", description="... up to (at most 62 days)")] = None,
) -> list[ShiftRead]:
    """With ``from`` and ``to``, each shift carries its occurrences in that window, for a calendar view, and
    shifts with none are left out."""
    rows = roster.list_shifts(session, id_of(association), listener_id)
    if window_from is None and window_to is None:
        return [present_shift(row) for row in rows]
    if window_from is None or window_to is None:
        raise InvalidConfigurationError("give both from and to", field="to", location="query")
    start, end = in_zone(window_from, association), in_zone(window_to, association)
    roster.check_window(start, end)
    shown = []
    for row in rows:
        found = roster.expand(row, start, end)
        if found:
            occurrences = [OccurrenceRead(start=o.start, end=o.end) for o in found]
            shown.append(present_shift(row).model_copy(update={"occurrences": occurrences}))
    return shown


@router.post("", response_model=ShiftRead, status_code=201)
def create_shift(
    association: ScopedAssociation, data: ShiftCreate, actor: ActorDep, session: SessionDep
) -> ShiftRead:
    row = roster.create_shift(session, id_of(association), data, actor)
    commit(session)
    return present_shift(row)


@router.get("/{shift_id}", response_model=ShiftRead)
def read_shift(association: ScopedAssociation, shift_id: ItemId, session: SessionDep) -> ShiftRead:
    return present_shift(roster.get_shift(session, id_of(association), shift_id))


@router.patch("/{shift_id}", response_model=ShiftRead)
def update_shift(
    association: ScopedAssociation, shift_id: ItemId, data: ShiftUpdate, actor: ActorDep, session: SessionDep
) -> ShiftRead:
    row = roster.get_shift(session, id_of(association), shift_id)
    roster.update_shift(session, row, data, actor)
    commit(session)
    return present_shift(row)


@router.delete("/{shift_id}", status_code=204)
def delete_shift(
    association: ScopedAssociation, shift_id: ItemId, actor: ActorDep, session: SessionDep
) -> Response:
    roster.delete_shift(session, roster.get_shift(session, id_of(association), shift_id), actor)
    commit(session)
    return Response(status_code=204)
