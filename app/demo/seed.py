"""`samvaad seed-demo`: a demo association to try Samvaad with, made through the same service layer the API
uses (so it is validated and audited like any configuration). Running it again changes nothing.

Four languages, eight listeners (some not yet verified, one whose peer-support training has lapsed), weekly
shifts that keep Hindi and English covered around the clock and Tamil and Bengali most of the day, and a
Tamil fallback policy that widens to English before offering a callback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.demo.helpline import HelplineBuilder, ShiftTimes
from app.services import Services
from routing import access, configuration
from routing.configuration import Actor, issue_api_key
from routing.transaction import unit_of_work
from schemas.api import StaffCreate
from schemas.policy import PolicySteps
from schemas.tables import Association, Channel, Role

DEMO_NAME = "Demo Medical Association"
KEY_FILE = "demo-api-key.txt"

NUMBERS = [
    ("+918047182300", Channel.voice, "Helpline (voice)"),
    ("+918047182301", Channel.whatsapp, "WhatsApp"),
]

LANGUAGES = [("hi", "Polly.Aditi"), ("ta", "Google.ta-IN-Standard-C"),
             ("bn", "Google.bn-IN-Standard-C"), ("en", "Polly.Raveena")]  # menu keys 1 to 4  # fmt: skip

DAILY = "MO,TU,WE,TH,FR,SA,SU"
WEEKDAYS = "MO,TU,WE,TH,FR"

# name, phone, languages (code, proficiency), verified, training valid for days (negative: lapsed),
# shifts (local start hour, hours, BYDAY)
LISTENERS: list[tuple[str, str, list[tuple[str, str]], bool, int, list[tuple[int, int, str]]]] = [
    ("Dr. Ananya Sharma", "+919876543210", [("hi", "native"), ("en", "fluent")], True, 300, [(6, 8, DAILY)]),
    ("Dr. Rohan Mehta", "+919876543211", [("hi", "fluent"), ("en", "fluent"), ("bn", "conversational")], True,
     200, [(14, 8, DAILY)]),
    ("Dr. Farhan Qureshi", "+919876543212", [("hi", "native"), ("ur", "native"), ("en", "fluent")], True, 150,
     [(22, 8, DAILY)]),
    ("Dr. Kavitha Raghunathan", "+919876543213", [("ta", "native"), ("en", "fluent")], True, 365,
     [(8, 8, WEEKDAYS)]),
    ("Dr. Arjun Subramanian", "+919876543214", [("ta", "native"), ("en", "fluent"), ("hi", "conversational")],
     False, 90, [(16, 8, WEEKDAYS), (8, 8, "SA,SU")]),
    ("Dr. Meera Iyer", "+919876543215", [("en", "native"), ("ta", "fluent")], True, 240, [(22, 8, DAILY)]),
    ("Dr. Priyanka Chatterjee", "+919876543216", [("bn", "native"), ("hi", "fluent"), ("en", "fluent")], True,
     180, [(8, 8, "MO,TU,WE,TH,FR,SA")]),
    ("Dr. Sourav Banerjee", "+919876543217", [("bn", "native"), ("en", "conversational")], True, -30,
     [(16, 8, DAILY)]),
]  # fmt: skip

# The demo's staff: an admin coordinator who signs in to the web app (name, phone, role).
STAFF = [("Dr. Nisha Kapoor", "+919876500100", "admin")]
DEMO_LISTENER = LISTENERS[0]

TAMIL_POLICY = {
    "steps": [
        {"kind": "listeners", "languages": ["ta"], "min_proficiency": "fluent", "seconds": 90},
        {"kind": "listeners", "languages": ["ta"], "min_proficiency": "conversational", "seconds": 90},
        {"kind": "listeners", "languages": ["ta", "en"], "min_proficiency": "fluent", "seconds": 120},
        {"kind": "callback"},
        {"kind": "crisis_line"},
    ]
}


@dataclass(frozen=True)
class SeedResult:
    association_id: int
    created: bool
    api_key: str | None
    key_file: Path


def seed_demo(services: Services) -> SeedResult:
    key_file = services.settings.data_dir / KEY_FILE
    now = services.clock.now()
    actor = Actor(label="command line (seed-demo)", at=now)
    with unit_of_work(services.engine) as session:
        existing = session.exec(select(Association).where(Association.name == DEMO_NAME)).first()
        if existing is not None and existing.id is not None:
            return SeedResult(existing.id, created=False, api_key=None, key_file=key_file)
        association_id = _configure(HelplineBuilder(session, services.vault, actor))
        _row, key = issue_api_key(
            session, name="demo admin", role=Role.admin, association_id=association_id, actor=actor
        )
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    return SeedResult(association_id, created=True, api_key=key, key_file=key_file)


def _configure(build: HelplineBuilder) -> int:
    association_id = build.association(DEMO_NAME, LANGUAGES, NUMBERS)
    at = build.actor.at
    week_start = _this_monday(at)
    for name, phone, spoken, verified, training_days, shifts in LISTENERS:
        build.listener(
            association_id,
            name,
            phone,
            dict(spoken),
            [
                ShiftTimes(week_start + timedelta(hours=hour), hours * 60, f"FREQ=WEEKLY;BYDAY={days}")
                for hour, hours, days in shifts
            ],
            registration_verified=verified,
            training_valid_until=at.date() + timedelta(days=training_days),
            prompt_language=spoken[0][0],
        )
    policy = PolicySteps.model_validate(TAMIL_POLICY)
    configuration.set_policy(build.session, association_id, "ta", policy, build.actor)
    for name, phone, role in STAFF:
        staff = StaffCreate.model_validate({"name": name, "phone": phone, "role": role})
        access.create_staff(build.session, build.vault, association_id, staff, build.actor)
    return association_id


def _this_monday(now: datetime) -> datetime:
    """Local midnight of last week's Monday: the weekly shifts have begun, and last night's run into today."""
    local = now.astimezone(ZoneInfo("Asia/Kolkata")).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday - timedelta(days=7), datetime.min.time())
