"""A voice offer holds its listener for the ring time and the whisper after it; a text offer for the ring
time alone."""

from __future__ import annotations

from datetime import timedelta

from routing import engine
from routing.engine.offers import WHISPER_SECONDS
from schemas.tables import Channel, Proficiency
from tests.routing.conftest import Helpline

TA = {"ta": Proficiency.native}


def test_a_voice_offer_can_be_accepted_after_the_ring_time_while_the_whisper_plays(
    helpline: Helpline,
) -> None:
    helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.call("ta")
    [offer] = helpline.dispatch()

    assert offer.deadline == helpline.now + timedelta(seconds=20 + WHISPER_SECONDS)
    accepted = engine.accept_offer(helpline.session, helpline.live, offer.offer_id, helpline.at(20 + 5))
    assert accepted.ok


def test_a_text_offer_lasts_the_ring_time(helpline: Helpline) -> None:
    helpline.listener("Anbu", TA)
    helpline.sync()
    helpline.call("ta", channel=Channel.sms)
    [offer] = helpline.dispatch()

    assert offer.deadline == helpline.now + timedelta(seconds=20)
