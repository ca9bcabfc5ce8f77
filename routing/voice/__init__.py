"""The voice channel: the call flow as pure decisions (``menus``, ``waiting``, ``whispers``, over the types
in ``decisions``), the steps of each leg (``calls`` for the caller, ``offers`` for the listener), call
records and webhook effects, callbacks, returning callers and the helpline lookup. This package is its door.

May import: ``routing.engine``, ``routing.configuration``, ``routing.roster``, ``routing.errors``,
``routing.phones``, ``routing.crisis_numbers``, ``locales``, ``schemas``; never ``routing.text``.
"""

from routing.voice.callbacks import callback_answered
from routing.voice.calls import (
    answer_incoming,
    bridge_into_offer,
    call_ended,
    hold,
    left_queue,
    menu_for,
    press_while_waiting,
    take_menu_choice,
)
from routing.voice.helplines import HelplineCache, HelplineConfig, load_helpline
from routing.voice.offers import (
    OfferCall,
    answer_offer,
    listener_call_status,
    offered_contacts_without_call,
    prepare_offer,
    taken_notice,
    whisper,
)
from routing.voice.outcome import Outcome

__all__ = [
    "HelplineCache",
    "HelplineConfig",
    "OfferCall",
    "Outcome",
    "answer_incoming",
    "answer_offer",
    "bridge_into_offer",
    "call_ended",
    "callback_answered",
    "hold",
    "left_queue",
    "listener_call_status",
    "load_helpline",
    "menu_for",
    "offered_contacts_without_call",
    "prepare_offer",
    "press_while_waiting",
    "take_menu_choice",
    "taken_notice",
    "whisper",
]
