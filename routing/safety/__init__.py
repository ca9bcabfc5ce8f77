"""Abuse controls that never leave a caller in silence: per-caller limits counted in Redis (``limits``, its Lua
beside it), the blocklist and listeners' flags (``blocklist``), and the screening every call and text passes
first (``screening``). Callers appear only as the association's keyed hash. This package is its door.

May import: ``routing.configuration`` (the audit log), ``routing.errors``, ``schemas``; never ``routing.voice``,
``routing.text`` or ``routing.roster`` (they call it).
"""

from routing.safety.blocklist import (
    active_block,
    block_contact,
    decide_flag,
    flag_contact,
    lift_block,
    list_blocks,
    list_flags,
)
from routing.safety.limits import Limits, recently_limited
from routing.safety.screening import Screening, Verdict, screen

__all__ = [
    "Limits",
    "Screening",
    "Verdict",
    "active_block",
    "block_contact",
    "decide_flag",
    "flag_contact",
    "lift_block",
    "list_blocks",
    "list_flags",
    "recently_limited",
    "screen",
]
