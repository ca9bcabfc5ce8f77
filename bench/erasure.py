"""A person asks to be forgotten: how much Samvaad finds and removes, through signed webhooks and the API.

Run from the repository root: ``python -m bench.erasure [--calls 5] [--texts 4] [--servers]``.

Samvaad runs in this process (the embedded default in a temporary folder, or the test suite's PostgreSQL and
Redis servers with ``--servers``), on a stepped clock. One number calls the helpline ``--calls`` times (a day
apart, each choosing a language from the menu, then hanging up) and writes ``--texts`` messages; another
number calls once and stays. The erasure API is asked to forget the first number; the figures it answers are
printed beside the rows left in the database, which must be the other caller's only.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import timedelta

import httpx
from sqlmodel import Session, func, select

from app.cli import make_api_key
from app.main import create_app
from app.services import Services
from bench.abuse import AUTH_TOKEN, HELPLINE, PUBLIC_BASE_URL, START, running, seed
from schemas.tables import Channel, Contact, HelplineNumber, Role
from telephony.simulator.asgi_server import serve
from telephony.simulator.webhooks import WebhookDriver

FORGOTTEN = "+919876500001"
STAYS = "+919876500002"


def call(driver: WebhookDriver, number: str) -> None:
    """An incoming call, the menu's first key, and the end of the call."""
    sid = "CA" + uuid.uuid4().hex
    params = [("CallSid", sid), ("From", number), ("To", HELPLINE), ("CallStatus", "ringing")]
    driver.send(PUBLIC_BASE_URL + "/twilio/voice/incoming", params)
    driver.send(PUBLIC_BASE_URL + "/twilio/voice/menu?kind=languages&attempt=1", [*params, ("Digits", "1")])
    driver.send(PUBLIC_BASE_URL + "/twilio/voice/call-status", [*params[:3], ("CallStatus", "completed")])


def text(driver: WebhookDriver, number: str, body: str) -> None:
    params = [("MessageSid", "SM" + uuid.uuid4().hex), ("From", number), ("To", HELPLINE), ("Body", body)]
    driver.send(PUBLIC_BASE_URL + "/messaging/incoming", params)


def run(calls: int, texts: int, servers: bool) -> bool:
    with running(servers) as (services, clock):
        association_id = seed(services)
        with Session(services.engine) as session:
            session.add(HelplineNumber(association_id=association_id, number=HELPLINE, channel=Channel.sms))
            session.commit()
        key = make_api_key(services.engine, role=Role.admin, name="dpo", association_id=association_id)
        with (
            serve(create_app(services=services)) as base_url,
            httpx.Client(base_url=base_url, timeout=30) as http,
        ):
            driver = WebhookDriver(http, PUBLIC_BASE_URL, AUTH_TOKEN)
            for day in range(calls):
                clock.at = START + timedelta(days=day)
                call(driver, FORGOTTEN)
            call(driver, STAYS)
            for i in range(texts):
                text(driver, FORGOTTEN, f"mujhe kisi se baat karni hai {i}")
            text(driver, FORGOTTEN, "END")
            answer = http.post(
                f"/api/v1/associations/{association_id}/privacy/erasure",
                json={"number": FORGOTTEN},
                headers={"Authorization": f"Bearer {key}"},
            )
        return report(services, answer)


def report(services: Services, answer: httpx.Response) -> bool:
    print(f"erasure answered HTTP {answer.status_code}")
    if answer.status_code != 200:
        print(answer.text)
        return False
    figures = answer.json()
    print(f"{'table':<18}{'found':>7}{'removed':>9}")
    for table, found in figures["found"].items():
        print(f"{table:<18}{found:>7}{figures['removed'][table]:>9}")
    print(f"{'total':<18}{sum(figures['found'].values()):>7}{sum(figures['removed'].values()):>9}")
    with Session(services.engine) as session:
        left = session.exec(select(func.count()).select_from(Contact)).one()
    met = figures["found"] == figures["removed"] and left == 1
    print(f"contacts left: {left} (the other caller's) -> {'met' if met else 'NOT met'}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--texts", type=int, default=4)
    parser.add_argument("--servers", action="store_true", help="PostgreSQL + Redis servers of the test suite")
    args = parser.parse_args()
    raise SystemExit(0 if run(args.calls, args.texts, args.servers) else 1)


if __name__ == "__main__":
    main()
