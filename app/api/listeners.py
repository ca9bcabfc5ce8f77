"""Listeners: the volunteer doctors. Answers show a number's last four digits, never the number."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.auth import ActorDep, ItemId, ScopedAssociation, id_of
from app.deps import RedisDep, SessionDep, VaultDep, commit
from locales.language_names import describe
from routing import roster
from routing.configuration import Subject, record_view
from routing.engine.live import LiveState
from routing.roster.presence import come_back, paused_reason
from schemas.api import AvailabilityRead, ListenerCreate, ListenerRead, ListenerUpdate, SpokenLanguageRead
from schemas.tables import Listener, ListenerLanguage
from workers.text_jobs import deliver_offers, text_queue
from workers.voice_jobs import enqueue_offer_calls

router = APIRouter(prefix="/associations/{association_id}/listeners", tags=["listeners"])


def present_listener(row: Listener, languages: list[ListenerLanguage]) -> ListenerRead:
    spoken = [
        SpokenLanguageRead(
            code=language.code,
            proficiency=language.proficiency,
            native_name=describe(language.code).native_name,
            english_name=describe(language.code).english_name,
        )
        for language in languages
    ]
    fields = row.model_dump(exclude={"phone_encrypted", "phone_hash"})
    return ListenerRead.model_validate({**fields, "languages": spoken})


def _present_one(session: SessionDep, row: Listener) -> ListenerRead:
    assert row.id is not None
    return present_listener(row, roster.spoken_languages(session, [row.id]).get(row.id, []))


@router.get("", response_model=list[ListenerRead])
def list_listeners(
    association: ScopedAssociation, actor: ActorDep, session: SessionDep
) -> list[ListenerRead]:
    """Every listener's details; the reading is audited (``view`` of ``listeners``)."""
    rows = roster.list_listeners(session, id_of(association))
    spoken = roster.spoken_languages(session, [row.id for row in rows if row.id is not None])
    record_view(session, actor, Subject("listeners", "all", id_of(association)))
    commit(session)
    return [present_listener(row, spoken.get(row.id or 0, [])) for row in rows]


@router.post("", response_model=ListenerRead, status_code=201)
def create_listener(
    association: ScopedAssociation,
    data: ListenerCreate,
    actor: ActorDep,
    session: SessionDep,
    vault: VaultDep,
) -> ListenerRead:
    row = roster.create_listener(session, vault, id_of(association), data, actor)
    commit(session)
    return _present_one(session, row)


@router.get("/{listener_id}", response_model=ListenerRead)
def read_listener(
    association: ScopedAssociation, listener_id: ItemId, actor: ActorDep, session: SessionDep
) -> ListenerRead:
    """One listener's details; the reading is audited (``view`` of the ``listener``)."""
    row = roster.get_listener(session, id_of(association), listener_id)
    record_view(session, actor, Subject("listener", listener_id, id_of(association)))
    commit(session)
    return _present_one(session, row)


@router.patch("/{listener_id}", response_model=ListenerRead)
def update_listener(
    association: ScopedAssociation,
    listener_id: ItemId,
    data: ListenerUpdate,
    actor: ActorDep,
    session: SessionDep,
    vault: VaultDep,
) -> ListenerRead:
    row = roster.get_listener(session, id_of(association), listener_id)
    roster.update_listener(session, vault, row, data, actor)
    commit(session)
    return _present_one(session, row)


@router.delete("/{listener_id}", status_code=204)
def delete_listener(
    association: ScopedAssociation, listener_id: ItemId, actor: ActorDep, session: SessionDep
) -> Response:
    """Deletes the listener's shifts too. To pause someone, set ``active`` to false instead."""
    row = roster.get_listener(session, id_of(association), listener_id)
    roster.delete_listener(session, row, actor)
    commit(session)
    return Response(status_code=204)


@router.post("/{listener_id}/resume", response_model=AvailabilityRead)
def resume_listener(
    association: ScopedAssociation, listener_id: ItemId, actor: ActorDep, session: SessionDep, redis: RedisDep
) -> AvailabilityRead:
    """Ends a pause (the automatic one after missed offers, or any other): the listener is offered the next
    waiting contact at once when on shift. Audited. The listener's own page calls the same service."""
    live = LiveState(redis)
    offer = come_back(session, live, id_of(association), listener_id, actor)
    commit(session)
    if offer is not None:
        queue = text_queue(redis)
        enqueue_offer_calls(queue, [offer])
        deliver_offers(queue, [offer])
    found = live.listener(listener_id)
    state = found.state if found is not None else "offline"
    return AvailabilityRead(
        listener_id=listener_id, state=state, paused_reason=paused_reason(session, listener_id)
    )
