"""Pure helpers for relaying text: conversation tags, splitting long bodies, counting SMS segments.

A listener may hold several conversations at once; each has a short tag (``#K7``) that names it in every
message to the listener, and a listener's reply may start with it to say which conversation it answers.
Tags avoid letters and digits that are easy to confuse on a phone keyboard (0/O, 1/I/L, 5/S, 8/B).
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection

TAG_LETTERS = "ACDEFHJKMNPRTUVWXY"
TAG_DIGITS = "234679"
MAX_BODY = 1600  # Twilio's limit for one message, SMS or WhatsApp
_TAG_AT_START = re.compile(r"^\s*#\s*([A-Za-z0-9]{2,4})\b[\s:,.\-]*", re.UNICODE)
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_ESCAPED = frozenset("^{}\\[~]|€\f")  # the extension table: an escape septet, then the character
GSM7 = frozenset(_GSM7_BASIC) | GSM7_ESCAPED


def new_tag(taken: Collection[str], rng: random.Random | None = None) -> str:
    """A tag not in ``taken``: a letter and a digit (108 of them), then longer ones if those run out."""
    rng = rng or random.SystemRandom()
    for length in (2, 3, 4):
        for _ in range(200):
            tag = _candidate_tag(rng, length)
            if tag not in taken:
                return tag
    raise RuntimeError("no free conversation tag")  # 18 * 24**3 tags: never reached in practice


def _candidate_tag(rng: random.Random, length: int) -> str:
    if length == 2:
        return rng.choice(TAG_LETTERS) + rng.choice(TAG_DIGITS)
    return rng.choice(TAG_LETTERS) + "".join(rng.choice(TAG_DIGITS + TAG_LETTERS) for _ in range(length - 1))


def split_tag(text: str) -> tuple[str | None, str]:
    """``"#k7 thank you"`` -> ``("K7", "thank you")``; a message without a leading tag -> ``(None, text)``."""
    match = _TAG_AT_START.match(text)
    if match is None:
        return None, text
    return match.group(1).upper(), text[match.end() :]


def split_body(body: str, prefix: str = "", limit: int = MAX_BODY) -> list[str]:
    """The parts to send so that each, with ``prefix``, fits one message; cut at a space when possible."""
    room = limit - len(prefix)
    parts: list[str] = []
    rest = body.strip()
    while len(rest) > room:
        cut = rest.rfind(" ", room // 2, room + 1)
        cut = cut if cut > 0 else room
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [prefix + part for part in parts if part] or [prefix.rstrip()]


def count_segments(body: str) -> int:
    """SMS segments the body costs, as the network bills it: GSM-7 when every character is in its tables
    (160 septets alone, 153 a part; the extension characters cost two), else UCS-2 (70 UTF-16 units alone,
    67 a part; an emoji costs two). A part never ends between the halves of a character."""
    costs = _unit_costs(body)
    single, multi = (160, 153) if set(body) <= GSM7 else (70, 67)
    if sum(costs) <= single:
        return 1
    segments, room = 1, multi
    for cost in costs:
        if cost > room:
            segments, room = segments + 1, multi
        room -= cost
    return segments


def _unit_costs(body: str) -> list[int]:
    """Each character's cost in septets (GSM-7) or UTF-16 code units (UCS-2)."""
    if set(body) <= GSM7:
        return [2 if char in GSM7_ESCAPED else 1 for char in body]
    return [2 if ord(char) > 0xFFFF else 1 for char in body]
