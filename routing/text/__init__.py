"""The text channel (SMS and WhatsApp): inbound messages and keywords, conversations and their message
records, the language to answer in, queueing with the calls, offers to listeners, the masked relay,
waiting notices, closing, and a texter's voice callback. This package is its door.

May import: ``routing.voice`` (a texter's CALL becomes a voice callback), ``routing.engine``,
``routing.language_detection``, ``routing.errors``, ``routing.phones``, ``routing.crisis_numbers``,
``locales``, ``schemas``.
"""

from routing.text.closing import (
    close_idle,
    closing_notices,
    confirm_notice,
    confirm_notices_sent,
    purge_kept_bodies,
)
from routing.text.context import TextContext, TextOutcome
from routing.text.conversations import offers_not_taken
from routing.text.delivery import (
    Outgoing,
    confirm_relayed,
    introduce_offer,
    relay_parts,
    release_offer,
    take_offer,
)
from routing.text.inbound import handle_text
from routing.text.language import said_as_written
from routing.text.pending import keep_for_later, pending_texts, take_pending
from routing.text.records import messages_to_relay
from routing.text.waiting import confirm_waiting_notice, waiting_notices

__all__ = [
    "Outgoing",
    "TextContext",
    "TextOutcome",
    "close_idle",
    "closing_notices",
    "confirm_notice",
    "confirm_notices_sent",
    "confirm_relayed",
    "confirm_waiting_notice",
    "handle_text",
    "introduce_offer",
    "keep_for_later",
    "messages_to_relay",
    "offers_not_taken",
    "pending_texts",
    "purge_kept_bodies",
    "relay_parts",
    "release_offer",
    "said_as_written",
    "take_offer",
    "take_pending",
    "waiting_notices",
]
