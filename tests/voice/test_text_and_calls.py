"""A listener in a text conversation still takes calls, unless their association decided that texts block
calls (``routing_settings.text_blocks_calls``): the text waits while they talk."""

from __future__ import annotations

import pytest

from routing import engine
from routing.engine.live import LiveState
from schemas.tables import Channel, Proficiency, RoutingSettings
from tests.voice.conftest import HELPLINE, VoiceHelpline

HI = {"hi": Proficiency.native}


def _in_a_text_conversation(voice: VoiceHelpline, name: str) -> None:
    live, now = LiveState(voice.services.redis), voice.sim.clock.now()
    contact_id = engine.enqueue_contact(
        voice.session, live, association_id=voice.association_id, channel=Channel.sms, language="hi",
        caller_hash="a texter", now=now,
    )  # fmt: skip
    [offer] = engine.dispatch(voice.session, live, voice.association_id, now)
    assert (offer.contact_id, offer.listener_id) == (contact_id, voice.listeners[name])
    assert engine.accept_offer(voice.session, live, offer.offer_id, now).ok
    voice.session.commit()


@pytest.mark.parametrize("blocks", [False, True])
def test_a_listener_in_a_text_conversation_takes_a_call_unless_texts_block_calls(
    voice: VoiceHelpline, blocks: bool
) -> None:
    if blocks:
        voice.session.add(RoutingSettings(association_id=voice.association_id, text_blocks_calls=True))
        voice.session.commit()
    asha = voice.listener("Asha", HI, prompt_language="hi")
    asha.respond(".", press="1")
    _in_a_text_conversation(voice, "Asha")
    caller = voice.caller("caller", "+919800000071")
    caller.respond("ओड़िया", press="1")
    caller.call(HELPLINE)

    voice.sim.advance(90)

    assert caller.is_bridged is not blocks
    assert bool([h for h in asha.transcript if h.kind == "ring"]) is not blocks
