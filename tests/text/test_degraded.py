"""Redis down or silent when a doctor texts: the message is kept for later and the texter reads so at once;
with the database down too it cannot be kept, and the texter is asked to send it again. Either way in the
language they wrote in, with the crisis line; never an empty answer."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session

from app.services import Services
from locales import messages
from routing.crisis_numbers import CrisisNumbers
from routing.text.language import say
from schemas.tables import Channel
from tests.text.conftest import LANGUAGES, SMS_NUMBER, builder
from tests.voice.test_degraded import black_hole, closed_port, degraded_services, post  # noqa: F401

WRITTEN = {"ta": "எனக்கு யாரிடமாவது பேச வேண்டும்", "hi_Latn": "mujhe kisi se baat karni hai please"}


@pytest.mark.parametrize(
    ("redis_down", "database_down"), [("closed", False), ("silent", False), ("closed", True)]
)
@pytest.mark.parametrize("locale", sorted(WRITTEN))
def test_a_texter_reads_in_their_language_what_became_of_the_message_and_where_to_turn(
    services: Services,
    black_hole: int,  # noqa: F811
    degraded_services: Callable[..., Services],  # noqa: F811
    redis_down: str,
    database_down: bool,
    locale: str,
) -> None:
    with Session(services.engine) as session:
        builder(session, services.vault).association(
            "Doctors for Doctors", LANGUAGES, [(SMS_NUMBER, Channel.sms)]
        )
        session.commit()
    port = closed_port() if redis_down == "closed" else black_hole
    broken = degraded_services(services.settings, redis_url=f"redis://127.0.0.1:{port}/0")
    broken.engine = broken.request_engine = services.engine
    if database_down:
        dead = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test")
        broken.engine = broken.request_engine = dead
    params = {"MessageSid": "SM" + "4" * 32, "From": "+919800000041", "To": SMS_NUMBER,
              "Body": WRITTEN[locale], "NumMedia": "0"}  # fmt: skip

    status, _, raw = post(broken, "/messaging/incoming", params)

    assert status == 200
    said = ["".join(message.itertext()) for message in ET.fromstring(raw).iter("Message")]
    crisis = CrisisNumbers.from_settings(services.settings).placeholders()
    expected = messages.TEXT_NOT_RECEIVED if database_down else messages.TEXT_KEPT
    assert said == [say(locale, expected, **crisis)]
    assert "14416" in said[0] and "+919800000041" not in said[0]
