"""Which association a called number belongs to, and what its voice menu needs: languages in menu order,
recorded prompts, backup numbers, callback hours.

Every voice webhook starts here, so the answer is cached in the process with a short time to live: the hot
path rarely touches the database, and when the database is down a stale entry still serves the degraded
answer and the Fallback URL (``peek`` never touches the database).
"""

from __future__ import annotations

import threading
import time as monotonic_time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from sqlmodel import Session, col, select

from schemas.tables import Association, AssociationLanguage, Channel, HelplineNumber

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class MenuLanguage:
    """A language of the association's menu: its key, and how the association wants it spoken."""

    code: str
    digit: int
    tts_voice: str | None = None
    prompt_urls: tuple[tuple[str, str], ...] = ()

    def prompt_url(self, key: str) -> str | None:
        """The association's recording of this sentence in this language, if it made one."""
        return next((url for name, url in self.prompt_urls if name == key and url), None)


@dataclass(frozen=True)
class HelplineConfig:
    """What a call to one of the association's numbers needs to know, read once and cached. Immutable and
    hashable, so documents rendered from it can be cached too."""

    association_id: int
    number: str
    name: str
    default_language: str
    languages: tuple[MenuLanguage, ...]
    backup_numbers: tuple[str, ...] = ()
    timezone: str = "Asia/Kolkata"
    callback_start: time = time(8, 0)
    callback_end: time = time(22, 0)
    callback_attempts: int = 3
    ring_seconds: int = 20
    calls_per_hour: int | None = None  # the association's own limit; None: the settings'
    crisis_policy: str = "queue_first"  # or "crisis_line": a caller who presses 0 is transferred at once
    crisis_max_wait_seconds: int | None = None  # None: SAMVAAD_CRISIS_MAX_WAIT_SECONDS

    def language(self, code: str) -> MenuLanguage | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    def by_digit(self, digit: str) -> MenuLanguage | None:
        return next((lang for lang in self.languages if str(lang.digit) == digit), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)


def load_helpline(session: Session, number: str) -> HelplineConfig | None:
    """The configuration behind a voice number, or None when the number is not one of ours."""
    row = session.exec(
        select(HelplineNumber).where(HelplineNumber.number == number, HelplineNumber.channel == Channel.voice)
    ).first()
    if row is None:
        return None
    association = session.get(Association, row.association_id)
    if association is None or association.id is None:
        return None
    languages = session.exec(
        select(AssociationLanguage)
        .where(AssociationLanguage.association_id == association.id, col(AssociationLanguage.enabled))
        .order_by(col(AssociationLanguage.position), col(AssociationLanguage.digit))
    ).all()
    return HelplineConfig(
        association_id=association.id,
        number=row.number,
        name=association.name,
        default_language=_on_the_menu(association.default_language, [lang.code for lang in languages]),
        languages=tuple(
            MenuLanguage(
                lang.code, lang.digit, lang.tts_voice, tuple(sorted((lang.prompt_urls or {}).items()))
            )
            for lang in languages
        ),
        backup_numbers=tuple(association.backup_numbers or ()),
        timezone=association.timezone,
        callback_start=association.callback_start,
        callback_end=association.callback_end,
        callback_attempts=association.callback_attempts,
        ring_seconds=association.ring_seconds,
        calls_per_hour=association.calls_per_hour,
        crisis_policy=association.crisis_policy,
        crisis_max_wait_seconds=association.crisis_max_wait_seconds,
    )


def _on_the_menu(default: str, menu: list[str]) -> str:
    """Callers hear the default first: one they cannot choose (configured before that was refused) gives way
    to the menu's first language."""
    return default if default in menu or not menu else menu[0]


def voice_numbers(session: Session) -> list[str]:
    return list(
        session.exec(select(HelplineNumber.number).where(HelplineNumber.channel == Channel.voice)).all()
    )


class HelplineCache:
    """Number -> configuration, kept ``ttl`` seconds. A failed reload keeps serving the stale entry."""

    def __init__(
        self, ttl: float = CACHE_SECONDS, clock: Callable[[], float] = monotonic_time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, HelplineConfig | None]] = {}
        self._lock = threading.Lock()

    def get(self, number: str, load: Callable[[str], HelplineConfig | None]) -> HelplineConfig | None:
        """The cached entry when fresh; otherwise ``load(number)``, falling back to a stale entry if it fails."""
        entry = self._entries.get(number)
        if entry is not None and self._clock() - entry[0] < self._ttl:
            return entry[1]
        try:
            config = load(number)
        except Exception:
            if entry is not None:
                return entry[1]
            raise
        self.put(number, config)
        return config

    def put(self, number: str, config: HelplineConfig | None) -> None:
        with self._lock:
            self._entries[number] = (self._clock(), config)

    def peek(self, number: str) -> HelplineConfig | None:
        """Whatever is cached, however old; never loads. For answers that must not touch the database."""
        entry = self._entries.get(number)
        return entry[1] if entry is not None else None

    def warm(self, session: Session) -> int:
        """Load every voice number now (at start-up), so even the first degraded answer knows its association."""
        numbers = voice_numbers(session)
        for number in numbers:
            self.put(number, load_helpline(session, number))
        return len(numbers)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def load_voice_helpline_of(session: Session, association_id: int) -> HelplineConfig | None:
    """The association's first voice number, which a texter's callback is dialled from; None without one."""
    number = session.exec(
        select(HelplineNumber.number)
        .where(HelplineNumber.association_id == association_id, HelplineNumber.channel == Channel.voice)
        .order_by(col(HelplineNumber.id))
    ).first()
    return load_helpline(session, number) if number is not None else None
