"""Shapes of the configuration API: what a request may carry and what an answer shows.

Every string and number has a bound that fits its column, because PostgreSQL refuses what SQLite accepts, and
a refusal must be a 422 with a message rather than a 500. Read models never carry a listener's phone number,
only its last four digits. Language codes are checked against Babel by routing (schemas imports nothing of ours).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    UrlConstraints,
    ValidationInfo,
    field_validator,
)

from schemas.policy import PolicySteps
from schemas.tables import Channel, Proficiency, Provider, Role

MAX_ID = 2**31 - 1  # PostgreSQL integer
EARLIEST = datetime(2000, 1, 1)
LATEST = datetime(2100, 1, 1)


def refuse_unstorable(value: str) -> str:
    """NUL bytes and lone surrogates pass JSON parsing but no database stores them."""
    if "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value):
        raise ValueError("must not contain NUL bytes or unpaired surrogates")
    return value


def within_supported_years(value: datetime) -> datetime:
    """Dates far from now overflow time-zone arithmetic; a helpline shift lives between 2000 and 2100."""
    try:
        naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    except OverflowError as exc:
        raise ValueError("must be between 2000-01-01 and 2100-01-01") from exc
    if not EARLIEST <= naive < LATEST:
        raise ValueError("must be between 2000-01-01 and 2100-01-01")
    return value


def within_supported_dates(value: date) -> date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise ValueError("must be between 2000-01-01 and 2100-01-01")
    return value


def assume_utc(value: datetime) -> datetime:
    """SQLite returns stored UTC times without their zone; answers always carry one."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def without_zone(value: time) -> time:
    return value.replace(tzinfo=None)


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(refuse_unstorable),
]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(refuse_unstorable)
]
City = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100), AfterValidator(refuse_unstorable)
]
PhoneText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=32),
    AfterValidator(refuse_unstorable),
]
LanguageCode = Annotated[
    str,
    StringConstraints(min_length=2, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$"),
]
TimeZoneName = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$")]
VoiceName = Annotated[
    str,
    StringConstraints(
        max_length=100,
        pattern=r"^(Polly\.[A-Z][A-Za-z0-9-]*|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9]+(-[A-Za-z0-9]+)*|man|woman|alice)$",
    ),
]
PromptKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
PromptUrl = Annotated[AnyUrl, UrlConstraints(max_length=500, allowed_schemes=["https"], host_required=True)]
RRuleText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(refuse_unstorable),
]
Moment = Annotated[datetime, AfterValidator(within_supported_years)]
UtcTime = Annotated[datetime, AfterValidator(assume_utc)]
Day = Annotated[date, AfterValidator(within_supported_dates)]
ClockTime = Annotated[time, AfterValidator(without_zone)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Patch(Request):
    """A partial update: absent fields stay as they are; null is accepted only where a value may be empty."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("may not be null; leave the field out to keep its value")
        return value


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorMessage(BaseModel):
    detail: str


# Associations

CrisisPolicy = Literal["queue_first", "crisis_line"]


ReminderHours = Annotated[
    list[Annotated[int, Field(ge=1, le=168)]],
    Field(
        max_length=4, description="Hours before a shift's start, 1 to 168; at most four; empty: no reminders"
    ),
]


class AssociationFields(Request):
    default_language: LanguageCode = "en"
    timezone: TimeZoneName = "Asia/Kolkata"
    callback_start: ClockTime = time(8, 0)
    callback_end: ClockTime = time(22, 0)
    callback_attempts: int = Field(default=3, ge=0, le=10)
    ring_seconds: int = Field(default=20, ge=5, le=120)
    max_text_conversations: int = Field(default=3, ge=1, le=20)
    store_message_bodies: bool = False
    message_retention_days: int = Field(default=30, ge=0, le=3650)
    conversation_idle_minutes: int = Field(default=60, ge=5, le=1440)
    backup_numbers: list[PhoneText] = Field(default_factory=list, max_length=5)
    short_abandon_seconds: int = Field(
        default=10, ge=0, le=300, description="A caller hanging up sooner is not counted against the line"
    )
    answer_target_seconds: int = Field(
        default=60, ge=5, le=3600, description="Service level: the share of calls answered within this"
    )
    service_level_percent: int = Field(
        default=80, ge=1, le=99, description="Staffing aims for this share answered within the target"
    )
    calls_per_hour: int | None = Field(
        default=None, ge=1, le=1000, description="None: SAMVAAD_CALLS_PER_HOUR"
    )
    texts_per_minute: int | None = Field(
        default=None, ge=1, le=1000, description="None: SAMVAAD_TEXTS_PER_MINUTE"
    )
    contact_retention_days: int = Field(
        default=90, ge=1, le=3650, description="Days callers' records are kept"
    )
    audit_retention_days: int = Field(default=365, ge=30, le=3650, description="Days audit entries are kept")
    reminder_hours: ReminderHours = Field(
        default_factory=lambda: [24, 1], description="Shift reminders this many hours before each start"
    )
    confirm_by_minutes: int = Field(
        default=30,
        ge=0,
        le=1440,
        description="A reminder unanswered this long before the start opens the shift",
    )
    invite_turn_minutes: int = Field(
        default=0, ge=0, le=1440, description="0: invite every eligible listener at once; else one per turn"
    )
    digest_hour: int = Field(
        default=8, ge=0, le=23, description="Local hour of the coordinators' daily digest"
    )
    no_show_minutes: int = Field(
        default=10, ge=1, le=240, description="A listener still offline this long after their shift starts"
    )
    crisis_policy: CrisisPolicy = Field(
        default="queue_first",
        description="A caller in danger: queue_first (the front of the queue, listeners rung together, then "
        "the crisis line after the wait limit) or crisis_line (transferred to it at once)",
    )
    crisis_max_wait_seconds: int | None = Field(
        default=None, ge=10, le=900, description="None: SAMVAAD_CRISIS_MAX_WAIT_SECONDS"
    )
    crisis_ring_together: int = Field(
        default=3, ge=1, le=10, description="Listeners rung at once for a caller in danger"
    )


class AssociationCreate(AssociationFields):
    name: Name


class AssociationUpdate(Patch):
    nullable = frozenset({"calls_per_hour", "texts_per_minute", "crisis_max_wait_seconds"})

    name: Name | None = None
    default_language: LanguageCode | None = None
    timezone: TimeZoneName | None = None
    callback_start: ClockTime | None = None
    callback_end: ClockTime | None = None
    callback_attempts: int | None = Field(default=None, ge=0, le=10)
    ring_seconds: int | None = Field(default=None, ge=5, le=120)
    max_text_conversations: int | None = Field(default=None, ge=1, le=20)
    store_message_bodies: bool | None = None
    message_retention_days: int | None = Field(default=None, ge=0, le=3650)
    conversation_idle_minutes: int | None = Field(default=None, ge=5, le=1440)
    backup_numbers: list[PhoneText] | None = Field(default=None, max_length=5)
    short_abandon_seconds: int | None = Field(default=None, ge=0, le=300)
    answer_target_seconds: int | None = Field(default=None, ge=5, le=3600)
    service_level_percent: int | None = Field(default=None, ge=1, le=99)
    calls_per_hour: int | None = Field(default=None, ge=1, le=1000)
    texts_per_minute: int | None = Field(default=None, ge=1, le=1000)
    contact_retention_days: int | None = Field(default=None, ge=1, le=3650)
    audit_retention_days: int | None = Field(default=None, ge=30, le=3650)
    reminder_hours: ReminderHours | None = None
    confirm_by_minutes: int | None = Field(default=None, ge=0, le=1440)
    invite_turn_minutes: int | None = Field(default=None, ge=0, le=1440)
    digest_hour: int | None = Field(default=None, ge=0, le=23)
    no_show_minutes: int | None = Field(default=None, ge=1, le=240)
    crisis_policy: CrisisPolicy | None = None
    crisis_max_wait_seconds: int | None = Field(default=None, ge=10, le=900)
    crisis_ring_together: int | None = Field(default=None, ge=1, le=10)


class AssociationRead(Read):
    id: int
    name: str
    default_language: str
    timezone: str
    callback_start: time
    callback_end: time
    callback_attempts: int
    ring_seconds: int
    max_text_conversations: int
    store_message_bodies: bool
    message_retention_days: int
    conversation_idle_minutes: int
    backup_numbers: list[str]
    short_abandon_seconds: int
    answer_target_seconds: int
    service_level_percent: int
    calls_per_hour: int | None
    texts_per_minute: int | None
    contact_retention_days: int
    audit_retention_days: int
    reminder_hours: list[int]
    confirm_by_minutes: int
    invite_turn_minutes: int
    digest_hour: int
    no_show_minutes: int
    crisis_policy: str
    crisis_max_wait_seconds: int | None
    crisis_ring_together: int
    created_at: UtcTime


# Helpline numbers


class NumberCreate(Request):
    number: PhoneText = Field(description="The number callers dial or text, E.164 (+91…) or national format")
    channel: Channel = Channel.voice
    label: Label = ""
    provider: Provider = Field(
        default=Provider.twilio,
        description="Who carries this number: twilio, or exotel (needs the association's Exotel account)",
    )


class NumberUpdate(Patch):
    number: PhoneText | None = None
    channel: Channel | None = None
    label: Label | None = None
    provider: Provider | None = None


class NumberRead(Read):
    id: int
    association_id: int
    number: str
    channel: Channel
    label: str
    provider: Provider


# Provider accounts (Exotel)

ExotelText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(refuse_unstorable),
]
DltId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^[0-9]*$")]


class ExotelAccountWrite(Request):
    """An association's Exotel account. The key and token are stored encrypted and never shown again."""

    account_sid: ExotelText = Field(
        description="The account SID from Exotel's dashboard (Settings, API Settings)"
    )
    api_key: ExotelText = Field(description="API key (the user name of Exotel's basic authentication)")
    api_token: ExotelText = Field(description="API token (its password); stored encrypted")
    subdomain: str = Field(
        default="api.in.exotel.com",
        pattern=r"^[a-z0-9.-]+$",
        max_length=200,
        description="api.in.exotel.com for the Mumbai cluster, api.exotel.com for Singapore",
    )
    sms_sender: Annotated[str, AfterValidator(refuse_unstorable)] = Field(
        default="", max_length=32, description="DLT-registered sender ID (header) for SMS, e.g. SAMVAD"
    )
    dlt_entity_id: DltId = Field(
        default="", description="The association's DLT principal entity ID (India's SMS rules)"
    )
    dlt_template_id: DltId = Field(
        default="", description="The DLT content template ID Samvaad's SMS are sent under"
    )
    rotate_webhook_token: bool = Field(
        default=False, description="Issue a new webhook token (the old URLs stop working)"
    )


class ExotelAccountRead(Read):
    association_id: int
    account_sid: str
    subdomain: str
    api_key_last4: str
    sms_sender: str
    dlt_entity_id: str
    dlt_template_id: str
    webhook_urls: dict[str, str] = Field(
        description="The URLs to paste into the flow's applets in Exotel's dashboard"
    )


# Languages offered by an association


class LanguageCreate(Request):
    code: LanguageCode = Field(description="BCP-47 code known to Babel, e.g. hi, ta, bn, en")
    digit: int = Field(ge=1, le=9, description="Keypad digit in the menu; 0 is kept for the crisis option")
    position: int | None = Field(default=None, ge=0, le=100, description="Order in the menu; default: last")
    enabled: bool = True
    tts_voice: VoiceName | None = Field(default=None, description="Twilio <Say> voice, e.g. Polly.Aditi")
    min_listeners: int = Field(
        default=1,
        ge=0,
        le=100,
        description="Listeners wanted on shift in every hour; fewer is a coverage gap",
    )
    prompt_urls: dict[PromptKey, PromptUrl] = Field(
        default_factory=dict, max_length=30, description="Recorded prompts: prompt key -> https URL"
    )


class LanguageUpdate(Patch):
    nullable = frozenset({"tts_voice"})

    digit: int | None = Field(default=None, ge=1, le=9)
    position: int | None = Field(default=None, ge=0, le=100)
    enabled: bool | None = None
    tts_voice: VoiceName | None = None
    min_listeners: int | None = Field(default=None, ge=0, le=100)
    prompt_urls: dict[PromptKey, PromptUrl] | None = Field(default=None, max_length=30)


class LanguageRead(Read):
    id: int
    association_id: int
    code: str
    native_name: str
    english_name: str
    right_to_left: bool
    digit: int
    position: int
    enabled: bool
    tts_voice: str | None
    min_listeners: int
    prompt_urls: dict[str, str]


class CatalogLanguage(BaseModel):
    code: str
    native_name: str
    english_name: str
    right_to_left: bool


# Listeners


class SpokenLanguage(Request):
    code: LanguageCode
    proficiency: Proficiency = Proficiency.fluent


class SpokenLanguageRead(Read):
    code: str
    proficiency: Proficiency
    native_name: str
    english_name: str


TextChannel = Literal[Channel.sms, Channel.whatsapp]


class ListenerCreate(Request):
    name: Name
    phone: PhoneText = Field(description="Stored encrypted; answers show only the last four digits")
    languages: list[SpokenLanguage] = Field(min_length=1, max_length=10)
    prompt_language: LanguageCode = "en"
    text_channel: TextChannel = Channel.sms
    registration_verified: bool = False
    training_valid_until: Day | None = None
    active: bool = True
    institution: Label = ""
    city: City = ""
    declined_institutions: list[Label] = Field(default_factory=list, max_length=20)
    max_text_conversations: int | None = Field(default=None, ge=1, le=20)
    app_language: LanguageCode | None = Field(
        None, description="The web app's language; default: prompt_language"
    )


class ListenerUpdate(Patch):
    nullable = frozenset({"training_valid_until", "max_text_conversations"})

    name: Name | None = None
    phone: PhoneText | None = None
    languages: list[SpokenLanguage] | None = Field(default=None, min_length=1, max_length=10)
    prompt_language: LanguageCode | None = None
    text_channel: TextChannel | None = None
    registration_verified: bool | None = None
    training_valid_until: Day | None = None
    active: bool | None = None
    institution: Label | None = None
    city: City | None = None
    declined_institutions: list[Label] | None = Field(default=None, max_length=20)
    max_text_conversations: int | None = Field(default=None, ge=1, le=20)
    app_language: LanguageCode | None = None


class AvailabilityRead(BaseModel):
    """Where a listener stands in routing now: ``state`` is available, paused, offline (off shift), offered,
    busy or wrapup; ``paused_reason`` says who paused them (``missed_offers`` for the automatic pause)."""

    listener_id: int
    state: str
    paused_reason: str


class ListenerRead(Read):
    id: int
    association_id: int
    name: str
    phone_last4: str
    languages: list[SpokenLanguageRead]
    prompt_language: str
    text_channel: Channel
    registration_verified: bool
    training_valid_until: date | None
    active: bool
    institution: str
    city: str
    declined_institutions: list[str]
    max_text_conversations: int | None
    created_at: UtcTime


class StaffRole(StrEnum):
    """A staff member's role in their association (platform keys are not people)."""

    admin = "admin"
    coordinator = "coordinator"


class StaffCreate(Request):
    name: Name
    phone: PhoneText = Field(description="Signs in with a code sent here; stored encrypted, shown as …1234")
    role: StaffRole = StaffRole.coordinator
    code_channel: TextChannel = Channel.sms
    app_language: LanguageCode = "en"
    active: bool = True


class StaffUpdate(Patch):
    name: Name | None = None
    phone: PhoneText | None = None
    role: StaffRole | None = None
    code_channel: TextChannel | None = None
    app_language: LanguageCode | None = None
    active: bool | None = None


class StaffRead(Read):
    id: int
    association_id: int
    name: str
    role: Role
    phone_last4: str
    code_channel: Channel
    app_language: str
    active: bool
    created_at: UtcTime


# Shifts


class ShiftCreate(Request):
    listener_id: Id
    starts_at: Moment = Field(
        description="Local wall-clock start in `timezone` (an offset, if given, is converted to it)"
    )
    duration_minutes: int = Field(ge=5, le=1440)
    timezone: TimeZoneName = "Asia/Kolkata"
    rrule: RRuleText | None = Field(
        None, description="RFC 5545 RRULE for a recurring shift, e.g. FREQ=WEEKLY;BYDAY=MO,WE,FR"
    )
    note: Label = ""


class ShiftUpdate(Patch):
    nullable = frozenset({"rrule"})

    listener_id: Id | None = None
    starts_at: Moment | None = None
    duration_minutes: int | None = Field(default=None, ge=5, le=1440)
    timezone: TimeZoneName | None = None
    rrule: RRuleText | None = None
    note: Label | None = None


class OccurrenceRead(BaseModel):
    start: datetime
    end: datetime


class ShiftRead(Read):
    id: int
    association_id: int
    listener_id: int
    starts_at: datetime
    duration_minutes: int
    timezone: str
    rrule: str | None
    note: str
    occurrences: list[OccurrenceRead] | None = Field(
        None, description="Occurrences in the requested window, when `from` and `to` are given"
    )


# Who is on shift


class OnShiftListener(BaseModel):
    id: int
    name: str
    proficiency: Proficiency
    shift_id: int
    until: datetime
    registration_verified: bool
    training_valid: bool


class OnShiftLanguage(BaseModel):
    code: str
    native_name: str
    enabled: bool
    listeners: list[OnShiftListener]


class OnShiftRead(BaseModel):
    at: UtcTime
    languages: list[OnShiftLanguage]


# Fallback policies


class PolicyRead(BaseModel):
    language: str
    steps: list[dict[str, Any]]
    is_default: bool
    updated_at: UtcTime | None


PolicyWrite = PolicySteps


# API keys


class ApiKeyCreate(Request):
    name: Name
    role: Literal[Role.admin, Role.coordinator]


class ApiKeyRead(Read):
    id: int
    name: str
    prefix: str
    role: Role
    association_id: int | None
    created_at: UtcTime
    revoked_at: UtcTime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The key itself, shown this once; only its hash is kept")


# Audit


class AuditRead(Read):
    id: int
    actor: str
    action: str
    entity: str
    entity_id: str
    changes: dict[str, Any]
    at: UtcTime


class AuditPage(BaseModel):
    items: list[AuditRead]
    total: int
    limit: int
    offset: int


# Reports (definitions in docs/reports.md)


class ReportFigures(BaseModel):
    """One period (``null``: the whole range) and language (``null``: all languages)."""

    period_start: datetime | None
    language: str | None
    calls_offered: int
    calls_answered: int
    calls_answered_in_target: int
    calls_abandoned: int
    calls_short_abandoned: int
    texts_offered: int
    texts_answered: int
    texts_abandoned: int
    asa_seconds: float | None = Field(description="Average speed of answer of answered calls")
    texts_asa_seconds: float | None
    service_level: float | None = Field(description="Answered within the target / (offered - short abandons)")
    abandon_rate: float | None = Field(description="Abandoned after the short threshold / (offered - short)")
    aht_seconds: float | None = Field(description="Average talk time of calls a listener took")
    callbacks_requested: int
    callbacks_made: int
    callbacks_failed: int
    crisis_presses: int = Field(description="Callers who pressed 0 for the crisis line in the menu")
    crisis_texts: int = Field(description="Texts with crisis words")
    crisis_transfers: int = Field(description="Calls transferred to the crisis line from the queue")
    shift_hours: float = Field(description="Listener hours on shift speaking the language")
    call_hours: float = Field(description="Listener hours on calls in the language")


class ReportRead(BaseModel):
    start: datetime
    end: datetime
    period: str
    timezone: str
    short_abandon_seconds: int
    answer_target_seconds: int
    rows: list[ReportFigures]
    by_language: list[ReportFigures]
    total: ReportFigures


class StaffingHourRead(BaseModel):
    start: datetime
    language: str
    calls_per_hour: float = Field(description="Mean calls offered in this hour of the week, last weeks")
    handle_seconds: float
    patience_seconds: float | None = Field(description="Mean patience from abandonment; null: none seen")
    needed: int = Field(description="Listeners needed for the association's service-level target")
    minimum: int = Field(description="The language's minimum on shift")
    rostered: float = Field(description="Active, verified listeners on shift (mean over the hour)")
    expected_service_level: float
    verdict: Literal["short", "enough", "more than needed"]


class CoverageGapRead(BaseModel):
    start: datetime
    end: datetime
    language: str
    rostered: float
    wanted: int = Field(description="The higher of the language's minimum and the staffing figure")
    minimum: int
    needed: int
