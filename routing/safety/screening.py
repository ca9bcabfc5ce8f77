"""What every call and text passes first: a blocked caller hears the neutral answer; a caller over the
association's limit hears the gentle one; everyone else goes on. Both answers name the crisis line, so nobody
is left in silence. A blocked texter gets one reply per block, a limited texter one per window; a call is
always answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import redis
from sqlmodel import Session

from routing.safety.blocklist import active_block
from routing.safety.limits import Limits, count_contact


class Verdict(StrEnum):
    admitted = "admitted"
    limited = "limited"
    blocked = "blocked"


@dataclass(frozen=True)
class Screening:
    verdict: Verdict
    answer: bool = True  # whether this contact gets the verdict's message (texts: once)

    @property
    def admitted(self) -> bool:
        return self.verdict is Verdict.admitted


ADMITTED = Screening(Verdict.admitted)


def screen(
    session: Session,
    client: redis.Redis,
    limits: Limits,
    *,
    association_id: int,
    kind: str,
    caller_hash: str | None,
    now: datetime,
) -> Screening:
    """``kind`` is ``call`` or ``text``. A withheld number (no hash) cannot be told apart, so it is admitted:
    a limit on every withheld caller together would refuse the genuine ones with the abusive one."""
    if caller_hash is None:
        return ADMITTED
    block = active_block(session, association_id, caller_hash, now)
    if block is not None:
        first = not block.texter_notified
        if kind == "text":
            block.texter_notified = True
        return Screening(Verdict.blocked, answer=kind == "call" or first)
    count = count_contact(client, association_id, kind, caller_hash, limits.for_kind(kind), now)
    if count.exceeded:
        return Screening(Verdict.limited, answer=kind == "call" or count.first_refused)
    return ADMITTED
