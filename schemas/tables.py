"""The database tables. Phone numbers appear only encrypted (``*_encrypted``) beside a keyed hash."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, LargeBinary, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel


def utc_column(nullable: bool = False) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), nullable=nullable))


def enum_type(enum: type[StrEnum]) -> Any:
    """Enums are stored as checked strings, not native types, so migrations stay simple on PostgreSQL."""
    return SAEnum(enum, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class Channel(StrEnum):
    voice = "voice"
    sms = "sms"
    whatsapp = "whatsapp"


class Provider(StrEnum):
    """Who carries a helpline number's calls and texts."""

    twilio = "twilio"
    exotel = "exotel"


class Proficiency(StrEnum):
    """Ordered from strongest: a step asking for ``fluent`` accepts native and fluent speakers."""

    native = "native"
    fluent = "fluent"
    conversational = "conversational"


class Role(StrEnum):
    platform = "platform"
    admin = "admin"
    coordinator = "coordinator"


class Association(SQLModel, table=True):
    __tablename__ = "associations"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    default_language: str = Field(default="en", max_length=16)
    timezone: str = Field(default="Asia/Kolkata", max_length=64)
    callback_start: time = Field(default=time(8, 0))
    callback_end: time = Field(default=time(22, 0))
    callback_attempts: int = Field(default=3)
    ring_seconds: int = Field(default=20)
    max_text_conversations: int = Field(default=3)
    store_message_bodies: bool = Field(default=False)
    message_retention_days: int = Field(default=30)
    conversation_idle_minutes: int = Field(default=60)
    backup_numbers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Reports and staffing: a caller who hangs up within ``short_abandon_seconds`` is not counted against the
    # line; service level is the share answered within ``answer_target_seconds``, and staffing aims for
    # ``service_level_percent`` of callers answered that fast.
    short_abandon_seconds: int = Field(default=10)
    answer_target_seconds: int = Field(default=60)
    service_level_percent: int = Field(default=80)
    # Abuse limits of this association; None: the settings' (SAMVAAD_CALLS_PER_HOUR, SAMVAAD_TEXTS_PER_MINUTE).
    calls_per_hour: int | None = None
    texts_per_minute: int | None = None
    # How long what Samvaad knows of callers (contacts, calls, conversations, profiles) and the audit log are
    # kept; a cron job purges what is older (docs/data-protection.md).
    contact_retention_days: int = Field(default=90)
    audit_retention_days: int = Field(default=365)
    # Roster automation: reminders so many hours before each shift, an answer due ``confirm_by_minutes``
    # before it starts, invitations together (0) or one listener every so many minutes, the daily coverage
    # digest at this local hour, and a no-show told so many minutes after a shift starts.
    reminder_hours: list[int] = Field(default_factory=lambda: [24, 1], sa_column=Column(JSON, nullable=False))
    confirm_by_minutes: int = Field(default=30)
    invite_turn_minutes: int = Field(default=0)
    digest_hour: int = Field(default=8)
    no_show_minutes: int = Field(default=10)
    # A caller who pressed 0 (or a crisis word in a text): ``queue_first`` puts them at the front of the queue
    # and rings ``crisis_ring_together`` listeners at once, then the crisis line after the wait limit
    # (None: SAMVAAD_CRISIS_MAX_WAIT_SECONDS); ``crisis_line`` transfers a caller to it at once.
    crisis_policy: str = Field(default="queue_first", max_length=16)
    crisis_max_wait_seconds: int | None = None
    crisis_ring_together: int = Field(default=3)
    created_at: datetime = utc_column()


class HelplineNumber(SQLModel, table=True):
    """A number callers dial or text. One number may take calls and texts (a row per channel), for one
    association."""

    __tablename__ = "helpline_numbers"
    __table_args__ = (UniqueConstraint("number", "channel", name="uq_helpline_numbers_number_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=32)
    channel: Channel = Field(default=Channel.voice, sa_type=enum_type(Channel))
    label: str = Field(default="", max_length=200)
    provider: Provider = Field(default=Provider.twilio, sa_type=enum_type(Provider))


class ProviderAccount(SQLModel, table=True):
    """An association's account with a provider other than the platform's Twilio (Exotel). The API key and
    token are Fernet-encrypted with ``SAMVAAD_ENCRYPTION_KEY`` (the callback numbers' key); the webhook
    token is found by its keyed hash, and kept encrypted so the API can show the webhook URLs again."""

    __tablename__ = "provider_accounts"
    __table_args__ = (
        UniqueConstraint("association_id", "provider", name="uq_provider_accounts_association"),
    )

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    provider: Provider = Field(default=Provider.exotel, sa_type=enum_type(Provider))
    account_sid: str = Field(max_length=100)
    subdomain: str = Field(default="api.in.exotel.com", max_length=200)
    credentials_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    webhook_key: str = Field(max_length=64, unique=True)
    sms_sender: str = Field(default="", max_length=32)
    dlt_entity_id: str = Field(default="", max_length=32)
    dlt_template_id: str = Field(default="", max_length=32)
    created_at: datetime = utc_column()


class AssociationLanguage(SQLModel, table=True):
    __tablename__ = "association_languages"
    __table_args__ = (
        UniqueConstraint("association_id", "code"),
        UniqueConstraint("association_id", "digit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=16)
    digit: int
    position: int = Field(default=0)
    enabled: bool = Field(default=True)
    tts_voice: str | None = Field(default=None, max_length=100)
    min_listeners: int = Field(default=1)  # on shift in every hour; fewer is a coverage gap
    prompt_urls: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Listener(SQLModel, table=True):
    __tablename__ = "listeners"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    phone_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    phone_hash: str = Field(max_length=64, index=True)
    phone_last4: str = Field(max_length=4)
    prompt_language: str = Field(default="en", max_length=16)
    text_channel: Channel = Field(default=Channel.sms, sa_type=enum_type(Channel))
    registration_verified: bool = Field(default=False)
    training_valid_until: date | None = None
    active: bool = Field(default=True)
    institution: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    declined_institutions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    max_text_conversations: int | None = None
    app_language: str = Field(default="", max_length=16)  # the web app's language; empty: prompt_language
    created_at: datetime = utc_column()


class ListenerLanguage(SQLModel, table=True):
    __tablename__ = "listener_languages"

    listener_id: int = Field(foreign_key="listeners.id", primary_key=True, ondelete="CASCADE")
    code: str = Field(primary_key=True, max_length=16)
    proficiency: Proficiency = Field(default=Proficiency.fluent, sa_type=enum_type(Proficiency))


class Shift(SQLModel, table=True):
    """A one-off shift (``rrule`` empty) or a recurring one (an RFC 5545 RRULE).

    ``starts_at`` is the first start as a moment in time; the wall-clock time it recurs at is that moment seen in
    ``timezone`` (``routing.shift_calendar.to_rule``), so a 09:00 IST shift stays at 09:00 IST.
    """

    __tablename__ = "shifts"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    listener_id: int = Field(foreign_key="listeners.id", index=True, ondelete="CASCADE")
    starts_at: datetime
    duration_minutes: int
    timezone: str = Field(default="Asia/Kolkata", max_length=64)
    rrule: str | None = Field(default=None, max_length=500)
    note: str = Field(default="", max_length=200)


class OpenShift(SQLModel, table=True):
    """One occurrence of a shift its listener gave up: nobody works it until another listener takes it (a
    one-off shift of their own, ``taken_shift_id``). The engine skips the given-up occurrence."""

    __tablename__ = "open_shifts"
    __table_args__ = (UniqueConstraint("shift_id", "starts_at_epoch"),)

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    shift_id: int = Field(foreign_key="shifts.id", index=True, ondelete="CASCADE")
    starts_at_epoch: int  # the occurrence's start, seconds since the epoch (zone-proof)
    duration_minutes: int
    given_up_by: int = Field(foreign_key="listeners.id", ondelete="CASCADE")
    taken_by: int | None = Field(default=None, foreign_key="listeners.id", ondelete="SET NULL")
    taken_shift_id: int | None = Field(default=None, foreign_key="shifts.id", ondelete="SET NULL")
    created_at: datetime = utc_column()


class FallbackPolicy(SQLModel, table=True):
    __tablename__ = "fallback_policies"
    __table_args__ = (UniqueConstraint("association_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    language: str = Field(max_length=16)
    steps: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = utc_column()


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64)
    role: Role = Field(sa_type=enum_type(Role))
    association_id: int | None = Field(
        default=None, foreign_key="associations.id", index=True, ondelete="CASCADE"
    )
    created_at: datetime = utc_column()
    revoked_at: datetime | None = utc_column(nullable=True)


class StaffMember(SQLModel, table=True):
    """A coordinator or admin of one association, who signs in to the web app with a code sent to their
    phone. Like a listener's, the number is kept encrypted beside its keyed hash and last four digits."""

    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    role: Role = Field(default=Role.coordinator, sa_type=enum_type(Role))
    phone_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    phone_hash: str = Field(max_length=64, index=True)
    phone_last4: str = Field(max_length=4)
    code_channel: Channel = Field(default=Channel.sms, sa_type=enum_type(Channel))
    app_language: str = Field(default="en", max_length=16)
    active: bool = Field(default=True)
    created_at: datetime = utc_column()


class AuditEntry(SQLModel, table=True):
    """Who changed what, when. Never a phone number: listener numbers appear as their last four digits."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int | None = Field(default=None, index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=20)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=50)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = utc_column()


class CallerProfile(SQLModel, table=True):
    """What Samvaad remembers of a caller, under the keyed hash of their number: never the number itself."""

    __tablename__ = "caller_profiles"
    __table_args__ = (UniqueConstraint("association_id", "caller_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    caller_hash: str = Field(max_length=64)
    language: str | None = Field(default=None, max_length=16)
    script: str | None = Field(default=None, max_length=8)
    opted_out: bool = Field(default=False)
    last_seen: datetime = utc_column()


class Priority(StrEnum):
    """Crisis contacts are offered before every normal one, whatever their arrival."""

    crisis = "crisis"
    normal = "normal"


class ContactStatus(StrEnum):
    waiting = "waiting"
    offered = "offered"
    connected = "connected"
    callback = "callback"
    ended = "ended"
    abandoned = "abandoned"


REPORT_COLUMNS = ("association_id", "arrival_us", "language", "channel", "priority", "callback_requested",
                  "connected_us", "ended_us", "id")  # fmt: skip


class Contact(SQLModel, table=True):
    """A caller or texter waiting for, or talking with, a listener. Kept so the live queue can be rebuilt
    in its original order after a Redis restart. The caller appears only as a keyed hash."""

    __tablename__ = "contacts"
    # Covers the reports' query: a year of contacts is read from the index alone, in arrival order.
    __table_args__ = (Index("ix_contacts_reports", *REPORT_COLUMNS),)

    id: str = Field(primary_key=True, max_length=36)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    channel: Channel = Field(default=Channel.voice, sa_type=enum_type(Channel))
    language: str = Field(max_length=16)
    priority: Priority = Field(default=Priority.normal, sa_type=enum_type(Priority))
    caller_hash: str = Field(max_length=64, index=True)
    status: ContactStatus = Field(default=ContactStatus.waiting, sa_type=enum_type(ContactStatus), index=True)
    callback_requested: bool = Field(default=False)
    exclude_institution: str = Field(default="", max_length=200)
    exclude_city: str = Field(default="", max_length=100)
    arrival_us: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = utc_column()
    listener_id: int | None = Field(default=None, foreign_key="listeners.id", ondelete="SET NULL")
    offer_id: str | None = Field(default=None, max_length=36)
    offer_deadline_us: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    connected_at: datetime | None = utc_column(nullable=True)
    ended_at: datetime | None = utc_column(nullable=True)
    # The same moments as integer microseconds (like ``arrival_us``), so reports do their arithmetic in one
    # SQL text on SQLite and PostgreSQL alike.
    connected_us: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    ended_us: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class ListenerPresence(SQLModel, table=True):
    """The part of a listener's presence that must survive a Redis restart: a pause, and why."""

    __tablename__ = "listener_presence"

    listener_id: int = Field(foreign_key="listeners.id", primary_key=True, ondelete="CASCADE")
    paused: bool = Field(default=False)
    paused_reason: str = Field(default="", max_length=40)
    paused_since: datetime | None = utc_column(nullable=True)


class RoutingSettings(SQLModel, table=True):
    """Per-association routing knobs; an association without a row uses these defaults.

    Wrap-up after a call lasts ``wrapup_base_seconds + wrapup_factor * call seconds``, at most
    ``wrapup_max_seconds``: a long, heavy call earns a longer cool-down."""

    __tablename__ = "routing_settings"

    association_id: int = Field(foreign_key="associations.id", primary_key=True, ondelete="CASCADE")
    wrapup_base_seconds: int = Field(default=30)
    wrapup_factor: float = Field(default=0.25)
    wrapup_max_seconds: int = Field(default=900)
    missed_offers_before_pause: int = Field(default=3)
    # A listener in a text conversation is still offered calls (a text waits while they talk) unless this is
    # set: then an open text conversation keeps them out of the voice pools until it ends.
    text_blocks_calls: bool = Field(default=False)


class RingOffer(SQLModel, table=True):
    """An offer rung alongside a contact's first (a crisis contact is offered to several listeners at once):
    the contact row names one offer, these name the others, so each listener's leg finds its contact."""

    __tablename__ = "ring_offers"

    offer_id: str = Field(primary_key=True, max_length=36)
    contact_id: str = Field(foreign_key="contacts.id", index=True, max_length=36, ondelete="CASCADE")
    listener_id: int = Field(foreign_key="listeners.id", ondelete="CASCADE")
    deadline_us: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = utc_column()


class ConversationStatus(StrEnum):
    """``choosing``: asked which language, not queued yet; ``closed`` conversations keep no number."""

    choosing = "choosing"
    waiting = "waiting"
    offered = "offered"
    active = "active"
    closed = "closed"


class Conversation(SQLModel, table=True):
    """A text conversation (SMS or WhatsApp) between a caller and a listener, relayed by Samvaad.

    The caller's number is needed to relay the listener's replies, so it is kept encrypted while the
    conversation is open and erased when it closes; callers are matched by the keyed hash only."""

    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    helpline_number_id: int = Field(foreign_key="helpline_numbers.id", ondelete="CASCADE")
    contact_id: str | None = Field(default=None, max_length=36, index=True)
    tag: str = Field(max_length=8)
    channel: Channel = Field(default=Channel.sms, sa_type=enum_type(Channel))
    language: str = Field(max_length=16)
    script: str | None = Field(default=None, max_length=8)
    menu: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    caller_hash: str = Field(max_length=64, index=True)
    caller_encrypted: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    listener_id: int | None = Field(default=None, foreign_key="listeners.id", ondelete="SET NULL")
    status: ConversationStatus = Field(
        default=ConversationStatus.waiting, sa_type=enum_type(ConversationStatus), index=True
    )
    crisis: bool = Field(default=False)
    callback_requested: bool = Field(default=False)
    opened_at: datetime = utc_column()
    last_activity_at: datetime = utc_column()
    closed_at: datetime | None = utc_column(nullable=True)
    close_reason: str = Field(default="", max_length=20)
    closing_notices_sent: bool = Field(default=False)
    # Each closing notice is sent once (a retry sends only what is missing); the caller's number is erased
    # after ``notice_attempts`` reaches the limit, or a while after closing, whatever happened.
    listener_notified: bool = Field(default=False)
    caller_notified: bool = Field(default=False)
    notice_attempts: int = Field(default=0)
    # The fallback step a waiting caller was told about (callback, crisis_line), so it is told once.
    waiting_notice: str = Field(default="", max_length=20)


class MessageDirection(StrEnum):
    from_caller = "from_caller"
    from_listener = "from_listener"


class PendingText(SQLModel, table=True):
    """A message the webhook could not take in (Redis or a step failed): kept, sender and body encrypted, for
    the sweep to handle once it can; the row is deleted as soon as it is handled. The webhook told the
    texter it has the message, so nothing a doctor writes is lost to an outage."""

    __tablename__ = "pending_texts"

    id: int | None = Field(default=None, primary_key=True)
    message_sid: str = Field(max_length=64, unique=True)
    channel: Channel = Field(sa_type=enum_type(Channel))
    recipient: str = Field(max_length=32)  # the helpline's own number
    sender_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    body_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    num_media: int = Field(default=0)
    button_payload: str | None = Field(default=None, max_length=64)
    received_at: datetime = utc_column()
    attempts: int = Field(default=0)


class TextMessage(SQLModel, table=True):
    """Metadata of one relayed message. The body is held encrypted only until it is relayed, unless the
    association opted in to keeping bodies (then until ``purge_after``)."""

    __tablename__ = "text_messages"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversations.id", index=True, ondelete="CASCADE")
    message_sid: str = Field(max_length=64, unique=True)
    direction: MessageDirection = Field(sa_type=enum_type(MessageDirection))
    length: int = Field(default=0)
    segments: int = Field(default=1)
    at: datetime = utc_column()
    relayed_at: datetime | None = utc_column(nullable=True)
    relay_parts: int = Field(default=0)
    body_encrypted: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    purge_after: datetime | None = utc_column(nullable=True)


class TextDelivery(SQLModel, table=True):
    """A text webhook already handled, by the provider's message id, with the replies it got: Twilio may
    deliver a message again, and a keyword or menu answer (which leaves no ``TextMessage``) must not act
    twice. No number and no body: only what Samvaad answered."""

    __tablename__ = "text_deliveries"

    message_sid: str = Field(primary_key=True, max_length=64)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    replies: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    at: datetime = utc_column()


class VoiceCall(SQLModel, table=True):
    """One call leg Samvaad handles, keyed by the provider's call id (never a phone number): which
    association and language, the contact it carries, and why it left the queue. Webhooks look their
    state up here, so a repeated or reordered delivery finds what the first one decided."""

    __tablename__ = "voice_calls"

    call_sid: str = Field(primary_key=True, max_length=64)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    helpline: str = Field(max_length=32)
    language: str = Field(max_length=16)
    contact_id: str | None = Field(default=None, max_length=36, index=True)
    queue_sid: str | None = Field(default=None, max_length=64)
    exit_reason: str = Field(default="", max_length=20)
    created_at: datetime = utc_column()
    ended_at: datetime | None = utc_column(nullable=True)


class VoiceOffer(SQLModel, table=True):
    """An offer being rung to a listener: the listener's call leg and what became of it."""

    __tablename__ = "voice_offers"

    offer_id: str = Field(primary_key=True, max_length=36)
    contact_id: str = Field(max_length=36, index=True)
    listener_id: int = Field(foreign_key="listeners.id", ondelete="CASCADE")
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    helpline: str = Field(max_length=32)
    call_sid: str | None = Field(default=None, max_length=64, index=True)
    callback_id: str | None = Field(default=None, max_length=36)
    outcome: str = Field(default="", max_length=20)
    created_at: datetime = utc_column()


class WebhookEffect(SQLModel, table=True):
    """A side effect a webhook already had: Twilio may deliver a request several times, and only the first
    delivery acts (the unique key is the claim)."""

    __tablename__ = "webhook_effects"
    __table_args__ = (UniqueConstraint("call_sid", "effect", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    call_sid: str = Field(max_length=64)
    effect: str = Field(max_length=40)
    key: str = Field(default="", max_length=64)
    at: datetime = utc_column()


class CallbackStatus(StrEnum):
    scheduled = "scheduled"
    calling = "calling"
    connected = "connected"
    failed = "failed"
    cancelled = "cancelled"


class Callback(SQLModel, table=True):
    """A caller asked to be called back. Their number is kept encrypted only until the callback is done."""

    __tablename__ = "callbacks"

    id: str = Field(primary_key=True, max_length=36)
    contact_id: str = Field(max_length=36, index=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    language: str = Field(max_length=16)
    helpline: str = Field(max_length=32)
    number_encrypted: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    attempts: int = Field(default=0)
    max_attempts: int = Field(default=3)
    status: CallbackStatus = Field(default=CallbackStatus.scheduled, sa_type=enum_type(CallbackStatus))
    outcome: str = Field(default="", max_length=40)
    next_attempt_at: datetime | None = utc_column(nullable=True)
    created_at: datetime = utc_column()
    finished_at: datetime | None = utc_column(nullable=True)


class BlockedCaller(SQLModel, table=True):
    """A caller a coordinator blocked from a contact's record, until ``expires_at`` (or until lifted).

    The caller appears only as the association's keyed hash; ``texter_notified`` makes the one neutral reply
    a blocked texter gets happen once."""

    __tablename__ = "blocked_callers"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    caller_hash: str = Field(max_length=64, index=True)
    contact_id: str = Field(max_length=36)
    reason: str = Field(max_length=500)
    blocked_by: str = Field(max_length=200)
    created_at: datetime = utc_column()
    expires_at: datetime = utc_column()
    lifted_at: datetime | None = utc_column(nullable=True)
    texter_notified: bool = Field(default=False)


class FlagStatus(StrEnum):
    open = "open"
    blocked = "blocked"
    dismissed = "dismissed"


class ContactFlag(SQLModel, table=True):
    """A listener's report that a contact was abusive, for a coordinator to decide (block or dismiss)."""

    __tablename__ = "contact_flags"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    contact_id: str = Field(max_length=36, index=True)
    caller_hash: str = Field(max_length=64, index=True)
    listener_id: int | None = Field(default=None, foreign_key="listeners.id", ondelete="SET NULL")
    reason: str = Field(max_length=500)
    status: FlagStatus = Field(default=FlagStatus.open, sa_type=enum_type(FlagStatus), index=True)
    created_at: datetime = utc_column()
    decided_by: str = Field(default="", max_length=200)
    decided_at: datetime | None = utc_column(nullable=True)


class ConfirmationStatus(StrEnum):
    pending = "pending"
    confirmed = "confirmed"
    declined = "declined"
    unanswered = "unanswered"


class ShiftConfirmation(SQLModel, table=True):
    """Whether the listener of one occurrence of a shift said they will come: asked by the reminders,
    answered by a reply, or left unanswered past the association's deadline (then the occurrence is open)."""

    __tablename__ = "shift_confirmations"
    __table_args__ = (UniqueConstraint("shift_id", "starts_at_epoch"),)

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    shift_id: int = Field(foreign_key="shifts.id", ondelete="CASCADE")
    listener_id: int = Field(foreign_key="listeners.id", index=True, ondelete="CASCADE")
    starts_at_epoch: int
    status: ConfirmationStatus = Field(
        default=ConfirmationStatus.pending, sa_type=enum_type(ConfirmationStatus)
    )
    answered_at: datetime | None = utc_column(nullable=True)
    open_shift_id: int | None = Field(default=None, foreign_key="open_shifts.id", ondelete="SET NULL")


class RosterNotice(SQLModel, table=True):
    """A roster message claimed before it is sent (reminder, invitation, filled, open, digest, no-show): its
    ``key`` is unique, so however many workers and ticks race, each goes out once. Reminders and invitations
    are questions; ``answer`` keeps the reply. No number: the recipient is a listener or staff id."""

    __tablename__ = "roster_notices"

    id: int | None = Field(default=None, primary_key=True)
    association_id: int = Field(foreign_key="associations.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=120, unique=True)
    kind: str = Field(max_length=20)
    listener_id: int | None = Field(default=None, foreign_key="listeners.id", index=True, ondelete="CASCADE")
    staff_id: int | None = Field(default=None, foreign_key="staff.id", ondelete="CASCADE")
    shift_id: int | None = Field(default=None, foreign_key="shifts.id", ondelete="CASCADE")
    starts_at_epoch: int | None = None
    open_shift_id: int | None = Field(default=None, foreign_key="open_shifts.id", ondelete="CASCADE")
    answer: str = Field(default="", max_length=10)
    sent_at: datetime = utc_column()
