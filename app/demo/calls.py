"""`samvaad demo`: four doctors call the helpline and the story is printed, call by call.

Runs the real service (uvicorn on a free port, the real database and Redis of the embedded default in a
temporary folder unless ``--data-dir`` is given), with the Twilio simulator in Twilio's place. The jobs run in
this thread whenever the simulator is idle (``InlineJobs``: queued jobs before simulated time moves on, the
cron schedules and retries on the simulated clock), so the story is the same on any machine, however busy.
It prints what each caller heard, in which language and voice, and who answered: listener names only, never a
phone number. Time is simulated (a ten-minute wait costs a second or two).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlmodel import Session

from app.demo.crisis import explain_crisis
from app.demo.helpline import HelplineBuilder, ShiftTimes
from app.demo.reminders import WHATSAPP, add_reminder_templates, play_roster, seed_roster
from app.main import create_app
from app.services import Services, build_services
from routing import engine
from routing.configuration import Actor
from routing.crisis_numbers import CrisisNumbers
from routing.engine.live import LiveState
from schemas.migrate import upgrade_database
from schemas.settings import Settings, load_settings
from schemas.tables import Channel, Proficiency
from telephony.simulator import Phone, Simulator
from telephony.simulator.asgi_server import serve
from workers.runner import InlineJobs

HELPLINE = "+9118001234567"  # an Indian toll-free number (1800 123 4567)
PUBLIC_BASE_URL = "https://demo.samvaad.invalid"
START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)  # 11:30 in India
ROSTER_SHIFT = START + timedelta(hours=24, minutes=15)  # tomorrow 11:45 in India: reminded once the calls end
MENU = (("hi", 1), ("en", 2), ("ta", 3), ("bn", 4), ("mr", 5))  # keys in order
LISTENERS = (
    ("Dr. Asha Verma", {"hi": Proficiency.native, "en": Proficiency.fluent}, "en"),
    ("Dr. Bala Krishnan", {"ta": Proficiency.native, "en": Proficiency.fluent}, "ta"),
    ("Dr. Chitra Sen", {"bn": Proficiency.native, "hi": Proficiency.fluent}, "bn"),
)
OUT = Callable[[str], None]


@dataclass(frozen=True)
class Caller:
    name: str
    number: str
    menu_key: str
    story: str
    press_zero: bool = False
    wants_callback: bool = False


CALLERS = (
    Caller("Doctor 1", "+919800000101", "1", "chooses Hindi (key 1) and talks for two minutes"),
    Caller("Doctor 2", "+919800000102", "3", "chooses Tamil (key 3)"),
    Caller("Doctor 3", "+919800000103", "0", "is in danger and presses 0 at the menu", press_zero=True),
    Caller(
        "Doctor 4", "+919800000104", "4", "chooses Bengali, then asks for a callback", wants_callback=True
    ),
)


def seed(services: Services) -> int:
    """A small association of our own (the demo's, independent of `samvaad seed-demo`)."""
    with Session(services.engine) as session:
        build = HelplineBuilder(session, services.vault, Actor(label="command line (demo)", at=START))
        association_id = build.association(
            "Demo Doctors' Helpline",
            [code for code, _digit in MENU],
            [(HELPLINE, Channel.voice), (WHATSAPP, Channel.whatsapp)],
            default_language="hi",
            ring_seconds=40,
            backup_numbers=["+914023000099"],
        )
        for index, (name, languages, prompt_language) in enumerate(LISTENERS):
            shift = ShiftTimes(START, 480)
            number = listener_number(index)
            build.listener(association_id, name, number, languages, [shift], prompt_language=prompt_language)
        seed_roster(session, build, association_id, ROSTER_SHIFT)
        session.commit()
        engine.rebuild(session, LiveState(services.redis), START)
        session.commit()
        return association_id


def listener_number(index: int) -> str:
    return f"+9198450{index:05d}"


def demo_settings(data_dir: Path) -> Settings:
    settings = load_settings(data_dir=data_dir, public_base_url=PUBLIC_BASE_URL)
    return settings.model_copy(update={"voice_deadline_ms": 5000})


@contextmanager
def running(settings: Settings) -> Iterator[tuple[Services, Simulator]]:
    upgrade_database(settings.resolved_database_url)
    services = build_services(settings)
    app = create_app(services=services)
    with (
        closing(services),
        serve(app) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as http,
        Simulator(
            http,
            public_base_url=settings.public_base_url,
            auth_token=settings.twilio_auth_token or "",
            account_sid=settings.twilio_account_sid,
            start=START,
            timeout=120,  # real seconds per run_until: only a safety net, nothing waits for real time
        ) as sim,
    ):
        templates = add_reminder_templates(sim)
        services.settings = settings.model_copy(
            update={"twilio_api_base_url": sim.rest_base_url, "reminder_content_sids": templates}
        )
        services.clock = sim.clock
        sim.add_number(
            HELPLINE,
            voice_url="/twilio/voice/incoming",
            voice_fallback_url="/twilio/voice/fallback",
            status_callback="/twilio/voice/call-status",
        )
        sim.add_number(WHATSAPP, sms_url="/messaging/incoming")
        sim.on_idle = InlineJobs(services)
        yield services, sim


def run_demo(data_dir: Path | None = None, out: OUT = print) -> int:
    """Run the scripted scenario and print it. Returns 0 when every caller was answered."""
    with tempfile.TemporaryDirectory(prefix="samvaad-demo-") as scratch:
        settings = demo_settings(data_dir or Path(scratch))
        with running(settings) as (services, sim):
            seed(services)
            return play(sim, out, CrisisNumbers.from_settings(settings))


def play(sim: Simulator, out: OUT, crisis: CrisisNumbers | None = None) -> int:
    listeners = {name: sim.phone(listener_number(i), name) for i, (name, _, _) in enumerate(LISTENERS)}
    for phone in listeners.values():
        phone.respond(".", press="1", once=False)  # every listener takes the call they are offered
    phones = {caller.name: sim.phone(caller.number, caller.name) for caller in CALLERS}
    failures = 0
    out(
        f"Samvaad demo: {len(CALLERS)} doctors call the helpline {HELPLINE}; simulated time starts {START:%H:%M} UTC."
    )
    out("Listeners on shift: " + ", ".join(f"{n} ({'/'.join(langs)})" for n, langs, _ in LISTENERS))

    first, second, third, fourth = (phones[c.name] for c in CALLERS)
    for phone, caller in zip((first, second, third, fourth), CALLERS, strict=True):
        phone.respond(r"\b5\b", press=caller.menu_key)  # answer after the whole menu (the last item)
    fourth.respond(r"\b1\b.*\b0\b|\b0\b.*\b1\b", press="1")  # the hold options: 1 for a callback

    call1 = first.call(HELPLINE)
    sim.run_until(lambda: first.is_bridged)
    first.hang_up(after=120)
    call2 = second.call(HELPLINE)
    sim.run_until(lambda: second.is_bridged)
    second.hang_up(after=120)
    sim.run_until(lambda: call1.is_over)
    sim.advance(
        90
    )  # Dr. Asha's wrap-up after the first call: two Hindi speakers are free for the crisis call
    call3 = third.call(HELPLINE)
    sim.run_until(lambda: third.is_bridged or call3.is_over)
    if not call3.is_over:
        third.hang_up(after=150)
    call4 = fourth.call(HELPLINE)
    sim.run_until(lambda: call4.is_over)
    sim.run_until(lambda: fourth.is_bridged)  # the callback, once a Bengali listener is free
    fourth.hang_up(after=60)
    sim.run_until(lambda: all(c.is_over for c in (call1, call2, call3)) and not fourth.is_on_call)

    for number, (caller, phone) in enumerate(
        zip(CALLERS, (first, second, third, fourth), strict=True), start=1
    ):
        failures += report(out, number, caller, phone, listeners)
        if caller.press_zero:
            explain_crisis(out, phone, listeners, crisis or CrisisNumbers("14416", "112"))
    failures += play_roster(sim, out, listeners, LISTENERS[0][0], ROSTER_SHIFT)
    out(f"Simulator errors: {len(sim.errors)}")
    return 1 if failures or sim.errors else 0


def report(out: OUT, number: int, caller: Caller, phone: Phone, listeners: dict[str, Phone]) -> int:
    out("")
    out(f"Call {number}: {caller.name} {caller.story}.")
    for heard in phone.transcript:
        if heard.kind == "say":
            out(f"  heard [{heard.language}, {heard.voice}] {heard.text}")
        elif heard.kind == "ring":
            out(f"  phone rang: the helpline calls back (caller ID shown: {heard.text or 'the helpline'})")
    answered = [name for name, listener in listeners.items() if listener in phone.bridged_with]
    if not answered:
        out("  answered by: nobody")
        return 1
    bridged_at = [h.at for h in phone.transcript if h.kind == "bridged"]
    waited = bridged_at[0] - phone.calls[0].created_at
    out(f"  connected {waited:.0f} s (simulated) after dialling, the menu included")
    for name in answered:
        out(f"  answered by: {name}")
        whispers = [h for h in listeners[name].spoken() if bridged_at and h.at <= bridged_at[-1]]
        if whispers:
            out(f"  {name} first heard [{whispers[-1].language}] {whispers[-1].text}")
    return 0
