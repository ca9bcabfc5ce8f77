"""The roster as coordinators manage it: the listeners directory (who, which languages, how to reach them)
and shifts with their calendar (RFC 5545 rules, occurrences, who is on shift). This package is its door.

Changes flush with their audit entry and never commit: the caller commits once. The pure shift rule
(``routing.engine.shift_rules``) lives in the engine, which must know who is on shift and imports no other
sub-package. May import: ``routing.engine``, ``routing.configuration``, ``routing.errors``,
``routing.phones``, ``locales``, ``schemas``.
"""

from routing.roster.answers import RosterReply, take_reply
from routing.roster.automation import RosterPlan, confirm_by, plan_roster
from routing.roster.calendar import (
    LanguageOnShift,
    OnShift,
    check_window,
    create_shift,
    delete_shift,
    expand,
    find_on_shift,
    get_shift,
    list_shifts,
    update_shift,
)
from routing.roster.ending import end_shift_from
from routing.roster.handover import GiveUp, OpenSlot, give_up, given_up_since, list_open, take
from routing.roster.invitations import Send, expire_confirmation, prepare_send
from routing.roster.listeners import (
    create_listener,
    delete_listener,
    get_listener,
    list_listeners,
    spoken_languages,
    update_listener,
)
from routing.roster.no_show import NoShow, prepare_no_show
from routing.roster.notices import RosterMessage, RosterOptions
from routing.roster.presence import PAUSE_REASONS, come_back, paused_reason, paused_reasons, take_break
from routing.roster.reminders import Due, prepare_reminder
from routing.roster.timetable import Coverage, Slot, coverage, current_slot, occurrences_between

__all__ = [
    "PAUSE_REASONS",
    "Coverage",
    "Due",
    "GiveUp",
    "LanguageOnShift",
    "NoShow",
    "OnShift",
    "OpenSlot",
    "RosterMessage",
    "RosterOptions",
    "RosterPlan",
    "RosterReply",
    "Send",
    "Slot",
    "check_window",
    "come_back",
    "confirm_by",
    "coverage",
    "create_listener",
    "create_shift",
    "current_slot",
    "delete_listener",
    "delete_shift",
    "end_shift_from",
    "expand",
    "expire_confirmation",
    "find_on_shift",
    "get_listener",
    "get_shift",
    "give_up",
    "given_up_since",
    "list_listeners",
    "list_open",
    "list_shifts",
    "occurrences_between",
    "paused_reason",
    "paused_reasons",
    "plan_roster",
    "prepare_no_show",
    "prepare_reminder",
    "prepare_send",
    "spoken_languages",
    "take",
    "take_break",
    "take_reply",
    "update_listener",
    "update_shift",
]
