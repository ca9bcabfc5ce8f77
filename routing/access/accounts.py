"""The people who sign in: a listener, or a staff member (coordinator or admin), of one association.

A phone number is recognised through each association's keyed hash, so finding who owns a number means
hashing it once per association; nothing stores the number in a form that could be searched directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from routing.engine.snapshot import association_ids
from routing.phones import PhoneVault
from schemas.tables import Channel, Listener, StaffMember

LISTENER = "listener"
STAFF = "staff"


@dataclass(frozen=True)
class Account:
    """What a session knows of its person; ``role`` is ``listener``, ``coordinator`` or ``admin``."""

    kind: str
    account_id: int
    association_id: int
    name: str
    role: str
    locale: str
    code_channel: Channel
    phone_last4: str

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def from_listener(row: Listener) -> Account:
    assert row.id is not None
    return Account(
        LISTENER,
        row.id,
        row.association_id,
        row.name,
        LISTENER,
        row.app_language or row.prompt_language,
        row.text_channel,
        row.phone_last4,
    )


def from_staff(row: StaffMember) -> Account:
    assert row.id is not None
    return Account(
        STAFF,
        row.id,
        row.association_id,
        row.name,
        row.role.value,
        row.app_language,
        row.code_channel,
        row.phone_last4,
    )


def find_accounts(session: Session, vault: PhoneVault, number: str) -> list[Account]:
    """Every active account this number signs in to: staff first, then listeners, by association."""
    found: list[Account] = []
    for association_id in association_ids(session):
        staff = session.exec(
            select(StaffMember).where(
                StaffMember.association_id == association_id,
                StaffMember.phone_hash == vault.staff_key(association_id, number),
                StaffMember.active == True,  # noqa: E712
            )
        ).all()
        listeners = session.exec(
            select(Listener).where(
                Listener.association_id == association_id,
                Listener.phone_hash == vault.listener_key(association_id, number),
                Listener.active == True,  # noqa: E712
            )
        ).all()
        found += [from_staff(row) for row in staff] + [from_listener(row) for row in listeners]
    return sorted(found, key=lambda a: (a.kind != STAFF, a.association_id, a.account_id))


def account_of(session: Session, kind: str, account_id: int) -> Account | None:
    """The account a session belongs to, as it is now; None once it is gone or deactivated."""
    if kind == LISTENER:
        listener = session.get(Listener, account_id)
        return from_listener(listener) if listener is not None and listener.active else None
    staff = session.get(StaffMember, account_id)
    return from_staff(staff) if staff is not None and staff.active else None
