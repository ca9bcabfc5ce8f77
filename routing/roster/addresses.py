"""Where a roster message goes: the channel and the helpline number it comes from.

WhatsApp by default: Twilio cannot receive SMS replies from India (two-way SMS is not supported there), and a
reminder asks for a reply. SMS for a listener who prefers it and is outside India, or in India when the
provider takes replies (``SAMVAAD_SMS_REPLIES_IN_INDIA``). An association with SMS numbers only still
reminds by SMS: the message goes out, even if the answer cannot come back."""

from __future__ import annotations

from sqlmodel import Session, col, select

from routing.phones import PhoneVault
from routing.roster.notices import RosterMessage, RosterOptions
from schemas.tables import Channel, HelplineNumber

INDIA = "+91"


def choose_channel(
    number: str, preferred: Channel, available: set[Channel], sms_replies_in_india: bool
) -> Channel | None:
    sms_answers = Channel.sms in available and (not number.startswith(INDIA) or sms_replies_in_india)
    if preferred == Channel.sms and sms_answers:
        return Channel.sms
    if Channel.whatsapp in available:
        return Channel.whatsapp
    return Channel.sms if Channel.sms in available else None


def text_numbers(session: Session, association_id: int) -> dict[Channel, str]:
    """The association's first text number on each channel."""
    query = select(HelplineNumber).where(
        HelplineNumber.association_id == association_id,
        col(HelplineNumber.channel).in_((Channel.sms, Channel.whatsapp)),
    )
    found: dict[Channel, str] = {}
    for row in session.exec(query.order_by(col(HelplineNumber.id))).all():
        found.setdefault(row.channel, row.number)
    return found


def address(
    session: Session,
    vault: PhoneVault,
    association_id: int,
    phone_encrypted: bytes,
    preferred: Channel,
    body: str,
    options: RosterOptions,
    *,
    asks_in: str | None = None,
) -> RosterMessage | None:
    """The message to one person; a question (``asks_in`` the reader's locale) on WhatsApp goes as that
    locale's quick-reply template when one is set."""
    numbers = text_numbers(session, association_id)
    number = vault.decrypt(phone_encrypted)
    channel = choose_channel(number, preferred, set(numbers), options.sms_replies_in_india)
    if channel is None:
        return None
    prefix = "whatsapp:" if channel == Channel.whatsapp else ""
    template = options.template_for(asks_in) if asks_in and channel == Channel.whatsapp else None
    return RosterMessage(prefix + number, prefix + numbers[channel], body, template)
