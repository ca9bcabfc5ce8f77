"""`samvaad demo --provider exotel`: the same four doctors call an ExoPhone, run by the simulated Exotel
through the flow docs/exotel.md describes (Passthru, Gather, Greeting, Connect; a callback through
Exotel's call API). The real service, the embedded default in a temporary folder, jobs in this thread on
the simulated clock; listener names only, never a phone number."""

from __future__ import annotations

import tempfile
from contextlib import closing
from pathlib import Path

import httpx
from sqlmodel import Session, select

from app.demo.calls import CALLERS, LISTENERS, OUT, START, demo_settings, listener_number, seed
from app.main import create_app
from app.services import Services, build_services
from routing.clock import SteppedClock
from routing.configuration import Actor, providers
from schemas.api import ExotelAccountWrite
from schemas.migrate import upgrade_database
from schemas.tables import Channel, HelplineNumber, Provider
from telephony.exotel.urls import webhook_urls
from telephony.simulator.asgi_server import serve
from telephony.simulator.exotel import ExotelSimulator, Handset
from workers.runner import InlineJobs

EXOPHONE = "+918040001000"  # an ExoPhone in Bengaluru (080 4000 1000)
ACCOUNT = ExotelAccountWrite(account_sid="demo-helpline", api_key="demo-key", api_token="demo-token")


def use_exotel(
    services: Services,
    association_id: int,
    exophone: str = EXOPHONE,
    account_data: ExotelAccountWrite = ACCOUNT,
) -> dict[str, str]:
    """The association's (one) voice number moved to Exotel as ``exophone``, with its account set through the
    API's own function; the flow's URLs. The demo and the end-to-end tests share it."""
    with Session(services.engine) as session:
        actor = Actor(label="command line (demo)", at=START)
        account = providers.set_exotel_account(
            session, services.vault, association_id, account_data, actor, START
        )
        number = session.exec(
            select(HelplineNumber).where(
                HelplineNumber.association_id == association_id, HelplineNumber.channel == Channel.voice
            )
        ).one()
        number.number, number.provider = exophone, Provider.exotel
        session.add(number)
        session.commit()
        token = providers.credentials(services.vault, account).webhook_token
    services.helplines.clear()
    return webhook_urls(services.settings.public_base_url, token)


def run_exotel_demo(data_dir: Path | None = None, out: OUT = print) -> int:
    with tempfile.TemporaryDirectory(prefix="samvaad-demo-") as scratch:
        settings = demo_settings(data_dir or Path(scratch))
        upgrade_database(settings.resolved_database_url)
        services = build_services(settings)
        clock = SteppedClock(START)
        services.clock = clock
        with (
            closing(services),
            serve(create_app(services=services)) as base_url,
            httpx.Client(base_url=base_url, timeout=30) as http,
            ExotelSimulator(
                http,
                public_base_url=settings.public_base_url,
                account_sid=ACCOUNT.account_sid,
                api_key=ACCOUNT.api_key,
                api_token=ACCOUNT.api_token,
                clock=clock,
            ) as sim,
        ):
            services.settings = settings.model_copy(update={"exotel_api_base_url": sim.rest_base_url})
            sim.add_flow(EXOPHONE, use_exotel(services, seed(services)))
            sim.on_idle = InlineJobs(services)
            return play(sim, out)


def play(sim: ExotelSimulator, out: OUT) -> int:
    listeners = {name: sim.phone(listener_number(i), name) for i, (name, _, _) in enumerate(LISTENERS)}
    out(f"Samvaad demo on Exotel: {len(CALLERS)} doctors call the ExoPhone {EXOPHONE}; simulated time starts {START:%H:%M} UTC.")  # fmt: skip
    out("Listeners on shift: " + ", ".join(f"{n} ({'/'.join(langs)})" for n, langs, _ in LISTENERS))
    chitra = listeners["Dr. Chitra Sen"]
    failures = 0
    for number, caller in enumerate(CALLERS, start=1):
        handset = sim.phone(caller.number, caller.name, talk_for=120)
        handset.respond(".", press=caller.menu_key)
        if caller.wants_callback:
            chitra.answer_after = None  # away from her phone: nobody picks up, a callback is booked
        call = sim.call(handset, EXOPHONE)
        if caller.wants_callback:
            chitra.answer_after = 2.0
            sim.advance(180)  # she is back: Exotel's call API rings her, then the caller
        failures += report(out, number, caller.story, caller.name, handset, call.path, listeners)
        sim.advance(300)  # the next call comes five minutes later
    out(f"Simulator errors: {len(sim.errors)}")
    return 1 if failures or sim.errors else 0


def report(
    out: OUT,
    number: int,
    story: str,
    name: str,
    handset: Handset,
    path: list[str],
    listeners: dict[str, Handset],
) -> int:
    out("")
    out(f"Call {number}: {name} {story}.")
    out("  flow: " + " -> ".join(path))
    for _at, text in handset.heard:
        out(f"  heard {text}")
    if not handset.bridged_with:
        out("  answered by: nobody")
        return 1
    for who in handset.bridged_with:
        out(f"  talked with: {who}")
        if who in listeners and listeners[who].heard:
            out(f"  {who} heard on answering: {listeners[who].heard[-1][1]}")
    return 0
