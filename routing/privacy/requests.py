"""A person's requests about their data, given their number: erase every trace of them in an association
(and say what was removed), or export it as JSON. The number is used in memory only, to compute the
association's keyed hash; the audit log records the request and the counts, never the number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis
from sqlmodel import Session, select

from routing.configuration.audit import Actor, Subject, record_change
from routing.errors import ConflictError
from routing.phones import PhoneVault, to_e164
from routing.privacy.traces import Traces, find_traces, remove
from routing.safety.limits import forget_caller
from schemas.tables import ContactStatus, ConversationStatus, Listener

IN_PROGRESS = (ContactStatus.waiting, ContactStatus.offered, ContactStatus.connected, ContactStatus.callback)
SECRET_FIELDS = {"caller_hash", "caller_encrypted", "number_encrypted", "body_encrypted", "association_id"}


@dataclass(frozen=True)
class Erasure:
    """What was found and removed, by table; ``listener_ids``: the number is also a listener's (their record
    is removed through the listeners API, which also ends their shifts)."""

    association_id: int
    found: dict[str, int]
    removed: dict[str, int]
    listener_ids: list[int]


def erase_number(
    session: Session, client: redis.Redis, vault: PhoneVault, association_id: int, number: str, actor: Actor
) -> Erasure:
    """Refused while a contact of theirs is in progress: a call or conversation under way still needs them."""
    caller_hash = vault.caller_key(association_id, to_e164(number))
    traces = find_traces(session, association_id, caller_hash)
    _refuse_in_progress(traces)
    found = {**traces.counts(), "redis_keys": 0}
    removed = {**remove(session, traces), "redis_keys": forget_caller(client, association_id, caller_hash)}
    found["redis_keys"] = removed["redis_keys"]
    record_change(session, actor, "erase", Subject("caller", "erasure", association_id), {"removed": removed})
    return Erasure(association_id, found, removed, _listener_ids(session, vault, association_id, number))


def export_number(
    session: Session, vault: PhoneVault, association_id: int, number: str, actor: Actor
) -> dict[str, Any]:
    """Everything kept of them, readable: kept message bodies decrypted, no hash and no ciphertext."""
    caller_hash = vault.caller_key(association_id, to_e164(number))
    traces = find_traces(session, association_id, caller_hash)
    exported = {name: [_readable(row, vault) for row in getattr(traces, name)] for name in traces.counts()}
    record_change(session, actor, "export", Subject("caller", "export", association_id), traces.counts())
    return {"association_id": association_id, **exported}


def _refuse_in_progress(traces: Traces) -> None:
    live = [c for c in traces.contacts if c.status in IN_PROGRESS]
    talking = [c for c in traces.conversations if c.status is not ConversationStatus.closed]
    if live or talking:
        raise ConflictError(
            "a call or conversation of this number is in progress: erase it once it has ended"
        )


def _listener_ids(session: Session, vault: PhoneVault, association_id: int, number: str) -> list[int]:
    listener_hash = vault.listener_key(association_id, to_e164(number))
    found = session.exec(
        select(Listener.id).where(
            Listener.association_id == association_id, Listener.phone_hash == listener_hash
        )
    ).all()
    return [i for i in found if i is not None]


def _readable(row: Any, vault: PhoneVault) -> dict[str, Any]:
    fields = row.model_dump(mode="json", exclude=SECRET_FIELDS)
    body = getattr(row, "body_encrypted", None)
    if body is not None:
        fields["body"] = vault.decrypt(body)
    return fields
