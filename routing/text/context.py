"""What the text channel's services share: the context they run in, and the outcome
they return (replies for the sender, work for jobs), plus recording a message's metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from routing.crisis_numbers import CrisisNumbers
from routing.engine import Offer
from routing.engine.live import LiveState
from routing.events import MessageReceived
from routing.phones import PhoneVault
from routing.safety import Limits
from routing.text import records
from routing.text.relay import count_segments
from schemas.settings import Settings
from schemas.tables import Conversation, MessageDirection

DUPLICATE_DELIVERY = "duplicate delivery"


@dataclass
class TextOutcome:
    """``replies`` go back to the sender at once; the rest is work for jobs. ``reason`` is for the log."""

    reason: str
    replies: list[str] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    relays: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    association_id: int | None = None
    roster_changed: bool = False  # a listener's answer opened or took a shift: plan the roster's messages

    @property
    def is_duplicate(self) -> bool:
        """A message handled before (a redelivery): its replies, if any, were given then."""
        return self.reason == DUPLICATE_DELIVERY


DEFAULT_LIMITS = Limits(
    Settings.model_fields["calls_per_hour"].default, Settings.model_fields["texts_per_minute"].default
)


@dataclass(frozen=True)
class TextContext:
    session: Session
    live: LiveState
    vault: PhoneVault
    now: datetime
    crisis: CrisisNumbers
    default_reply_minutes: int = 15
    fallback_languages: tuple[str, ...] = ("hi", "en")  # a message to a number of no association
    limits: Limits = DEFAULT_LIMITS  # the settings'; an association's own override them

    @classmethod
    def of(
        cls, session: Session, live: LiveState, vault: PhoneVault, now: datetime, settings: Settings
    ) -> TextContext:
        """The context the settings give (the webhook's, and the sweep's for messages kept for later)."""
        fallback = tuple(code.strip() for code in settings.fallback_languages.split(",") if code.strip())
        return cls(session, live, vault, now, CrisisNumbers.from_settings(settings), settings.text_reply_minutes,
                   fallback or ("hi", "en"), Limits.of(settings))  # fmt: skip


def record_inbound(
    ctx: TextContext,
    conversation: Conversation,
    message: MessageReceived,
    direction: MessageDirection,
    body: str | None = None,
) -> int:
    text = (message.body if body is None else body).strip()
    stored = records.record_message(
        ctx.session,
        conversation,
        message_sid=message.message_sid,
        direction=direction,
        body_encrypted=ctx.vault.encrypt(text) if text else None,
        length=len(text),
        segments=message.num_segments or count_segments(text),
        now=ctx.now,
    )
    assert stored.id is not None
    return stored.id
