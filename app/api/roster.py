"""Who is on shift now, or at a given moment, for each language of the association's menu."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.auth import ScopedAssociation, id_of
from app.api.shifts import in_zone
from app.deps import ClockDep, SessionDep
from routing import roster
from routing.engine.shift_rules import zone
from schemas.api import Moment, OnShiftLanguage, OnShiftListener, OnShiftRead

router = APIRouter(prefix="/associations/{association_id}", tags=["shifts"])


@router.get("/on-shift", response_model=OnShiftRead)
def read_on_shift(
    association: ScopedAssociation,
    session: SessionDep,
    clock: ClockDep,
    at: Annotated[Moment | None, Query(description="ISO 8601 moment; default now; no offset = local")] = None,
) -> OnShiftRead:
    moment = in_zone(at, association) if at else clock.now().astimezone(zone(association.timezone))
    found = roster.find_on_shift(session, id_of(association), moment)
    return OnShiftRead(
        at=moment,
        languages=[
            OnShiftLanguage(
                code=language.code,
                native_name=language.native_name,
                enabled=language.enabled,
                listeners=[
                    OnShiftListener(
                        id=entry.listener.id or 0,
                        name=entry.listener.name,
                        proficiency=entry.proficiency,
                        shift_id=entry.occurrence.shift_id or 0,
                        until=entry.occurrence.end,
                        registration_verified=entry.listener.registration_verified,
                        training_valid=entry.training_valid,
                    )
                    for entry in language.on_shift
                ],
            )
            for language in found
        ],
    )
