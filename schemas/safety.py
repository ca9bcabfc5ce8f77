"""Shapes of the safety API: contact records as a coordinator sees them (never a number or a hash), blocks,
listeners' flags, and the board's abuse data."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from schemas.api import Read, Request, UtcTime, refuse_unstorable
from schemas.tables import Channel, ContactStatus, FlagStatus, Priority

Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(refuse_unstorable),
]


class ContactRead(Read):
    id: str
    channel: Channel
    language: str
    priority: Priority
    status: ContactStatus
    callback_requested: bool
    listener_id: int | None
    created_at: UtcTime
    connected_at: UtcTime | None
    ended_at: UtcTime | None
    blocked: bool = False


class BlockCreate(Request):
    reason: Reason
    days: int = Field(default=30, ge=1, le=365, description="The block ends by itself after this many days")


class BlockRead(Read):
    id: int
    contact_id: str
    reason: str
    blocked_by: str
    created_at: UtcTime
    expires_at: UtcTime
    lifted_at: UtcTime | None


class FlagCreate(Request):
    reason: Reason
    listener_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="The listener who flags it")


class FlagDecision(Request):
    decision: Literal["blocked", "dismissed"]
    days: int = Field(default=30, ge=1, le=365, description="For a block: how many days it lasts")


class FlagRead(Read):
    id: int
    contact_id: str
    listener_id: int | None
    reason: str
    status: FlagStatus
    created_at: UtcTime
    decided_by: str
    decided_at: UtcTime | None


class LimitedCallerRead(BaseModel):
    kind: str = Field(description="call or text")
    caller: str = Field(description="The start of the caller's keyed hash: tells callers apart, names nobody")
    last_refused_at: datetime


class SafetyBoard(BaseModel):
    """What the board shows about abuse: callers refused by a limit in the last day, open flags, blocks."""

    limited: list[LimitedCallerRead]
    open_flags: int
    active_blocks: int
