"""The sign-in code as a message: to the person's phone, on their chosen channel (WhatsApp or SMS), from
their association's helpline number on that channel (any texting number when it has none), in their
language. The clear number exists only in the returned message, for the job that sends it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from locales import web_translator_for
from locales.web_messages import SIGNIN_CODE_TEXT
from routing.access.accounts import account_of
from routing.access.codes import CODE_MINUTES
from routing.phones import PhoneVault
from routing.text.delivery import WHATSAPP, Outgoing
from schemas.tables import Channel, HelplineNumber, Listener, StaffMember


def code_message(
    session: Session, vault: PhoneVault, kind: str, account_id: int, code: str
) -> Outgoing | None:
    """None when the account is gone or its association has no number to text from."""
    account = account_of(session, kind, account_id)
    if account is None:
        return None
    sender = _sender(session, account.association_id, account.code_channel)
    if sender is None:
        return None
    row = session.get(Listener, account_id) if kind == "listener" else session.get(StaffMember, account_id)
    assert row is not None
    number = vault.decrypt(row.phone_encrypted)
    body = web_translator_for(account.locale).gettext(SIGNIN_CODE_TEXT) % {
        "code": code,
        "minutes": CODE_MINUTES,
    }
    if sender.channel == Channel.whatsapp:
        return Outgoing(WHATSAPP + number, WHATSAPP + sender.number, body)
    return Outgoing(number, sender.number, body)


def _sender(session: Session, association_id: int, wanted: Channel) -> HelplineNumber | None:
    rows = session.exec(
        select(HelplineNumber)
        .where(HelplineNumber.association_id == association_id)
        .order_by(col(HelplineNumber.id))
    ).all()
    preference = [wanted, Channel.sms, Channel.whatsapp, Channel.voice]
    return min(rows, key=lambda r: preference.index(r.channel), default=None)
