"""Abuse limits under a flood: 100 calls in one minute from one number, through signed webhooks.

Run from the repository root: ``python -m bench.abuse [--calls 100] [--seconds 60] [--servers]``.

Samvaad runs in this process under uvicorn on the embedded default in a temporary folder (or on the
PostgreSQL and Redis servers of the test suite with ``--servers``), with a stepped clock: the calls are spread
over the minute on the clock, not by sleeping. Each call is an incoming-call webhook signed as Twilio signs
it; when the answer is the language menu, the caller presses 1, as a caller would, which creates the contact.
Every answer is read as Twilio reads TwiML (the simulator's strict parser). Prints how many contacts were
created against the configured limit, how many calls were put through to the crisis line, whether every answer
was valid TwiML, and whether the goals are met.
"""

from __future__ import annotations

import argparse
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, func, select

from app.main import create_app
from app.services import Services, build_services
from schemas.migrate import upgrade_database
from schemas.settings import load_settings
from schemas.tables import Association, AssociationLanguage, Channel, Contact, HelplineNumber
from telephony.simulator.asgi_server import serve
from telephony.simulator.documents import VOICE_VERBS, DocumentError
from telephony.simulator.webhooks import WebhookDriver

PUBLIC_BASE_URL = "https://bench.samvaad.invalid"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
HELPLINE = "+9118001234567"
CALLER = "+919812345678"
START = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


class SteppedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def seed(services: Services) -> int:
    with Session(services.engine) as session:
        association = Association(name="Bench helpline", default_language="hi", created_at=START)
        session.add(association)
        session.flush()
        assert association.id is not None
        for position, code in enumerate(("hi", "en")):
            session.add(AssociationLanguage(association_id=association.id, code=code, digit=position + 1))
        session.add(HelplineNumber(association_id=association.id, number=HELPLINE, channel=Channel.voice))
        session.commit()
        return association.id


def one_call(driver: WebhookDriver, verdicts: Counter[str]) -> None:
    """The incoming call; the menu's first key when offered. Every answer must parse as TwiML."""
    params = [
        ("CallSid", "CA" + uuid.uuid4().hex),
        ("From", CALLER),
        ("To", HELPLINE),
        ("CallStatus", "ringing"),
    ]
    url = PUBLIC_BASE_URL + "/twilio/voice/incoming"
    try:
        document = driver.fetch(url, params, "POST", VOICE_VERBS)
        gather = next((verb for verb in document.verbs if verb.tag == "Gather"), None)
        if gather is None:
            dialled = [verb.text for verb in document.verbs if verb.tag == "Dial"]
            verdicts["crisis line" if dialled else "other"] += 1
            return
        action = driver.absolute(gather.get("action", ""), url)
        driver.fetch(action, [*params, ("Digits", "1")], "POST", VOICE_VERBS)
        verdicts["menu, then queued"] += 1
    except DocumentError as exc:
        verdicts[f"invalid TwiML ({exc.code})"] += 1


@contextmanager
def running(servers: bool) -> Iterator[tuple[Services, SteppedClock]]:
    """Samvaad's services on a stepped clock, in a temporary folder (or on the servers); tidied afterwards."""
    with tempfile.TemporaryDirectory() as data_dir:
        overrides: dict[str, object] = {"data_dir": Path(data_dir), "public_base_url": PUBLIC_BASE_URL}
        if servers:
            overrides |= own_server_databases()
        settings = load_settings(twilio_auth_token=AUTH_TOKEN, voice_deadline_ms=5000, **overrides)
        upgrade_database(settings.resolved_database_url)
        clock = SteppedClock(START)
        services = build_services(settings, clock=clock)
        try:
            yield services, clock
        finally:
            close_services(services, settings.database_url, settings.redis_url)


def run(calls: int, seconds: float, servers: bool) -> bool:
    with running(servers) as (services, clock):
        return _flood(services, clock, calls, seconds)


def _flood(services: Services, clock: SteppedClock, calls: int, seconds: float) -> bool:
    association_id = seed(services)
    limit = services.settings.calls_per_hour
    verdicts: Counter[str] = Counter()
    with (
        serve(create_app(services=services)) as base_url,
        httpx.Client(base_url=base_url, timeout=30) as http,
    ):
        driver = WebhookDriver(http, PUBLIC_BASE_URL, AUTH_TOKEN)
        for i in range(calls):
            clock.at = START + timedelta(seconds=seconds * i / calls)
            one_call(driver, verdicts)
            if (i + 1) % 25 == 0:
                print(f"  {i + 1}/{calls} calls sent", flush=True)
    with Session(services.engine) as session:
        created = session.exec(
            select(func.count()).select_from(Contact).where(Contact.association_id == association_id)
        ).one()
    valid = not any(kind.startswith("invalid") for kind in verdicts)
    print(f"calls: {calls} in {seconds:.0f} s from one number (SAMVAAD_CALLS_PER_HOUR={limit})")
    for kind, count in sorted(verdicts.items()):
        print(f"  answered {kind}: {count}")
    print(f"contacts created: {created} (limit {limit}) -> {'met' if created <= limit else 'NOT met'}")
    print(f"every answer valid TwiML: {'yes' if valid else 'NO'} -> {'met' if valid else 'NOT met'}")
    return created <= limit and valid and verdicts["crisis line"] == calls - created


def own_server_databases() -> dict[str, object]:
    """A PostgreSQL database of this run's own, and a Redis index leased as the test suite leases them."""
    import psycopg
    import redis

    from tests.conftest import POSTGRES, REDIS

    name = f"samvaad_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    leases = redis.Redis.from_url(f"{REDIS}/0")
    index = next(i for i in range(1, 16) if leases.set(f"samvaad:test-lease:{i}", "bench", nx=True, ex=600))
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return {"database_url": f"{base}/{name}", "redis_url": f"{REDIS}/{index}"}


def close_services(services: Services, database_url: str | None, redis_url: str | None) -> None:
    """Leave nothing behind: on the servers, this run's database, keys and lease (the embedded Redis stops
    with its client)."""
    services.engine.dispose()
    if database_url is None or redis_url is None:
        return
    import psycopg
    import redis

    from tests.conftest import POSTGRES

    services.redis.flushdb()
    base, index = redis_url.rsplit("/", 1)
    redis.Redis.from_url(f"{base}/0").delete(f"samvaad:test-lease:{index}")
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--servers", action="store_true", help="PostgreSQL + Redis servers of the test suite")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.calls, args.seconds, args.servers) else 1)


if __name__ == "__main__":
    main()
