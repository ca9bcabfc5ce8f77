"""Redis down when a doctor texts: the message is kept (encrypted) and the texter told so at once, in their
language; once Redis is back the sweep handles it as the webhook would have: the welcome reaches the texter,
the listener gets the conversation, and nothing is kept any longer."""

from __future__ import annotations

import dataclasses

from app.services import Services
from locales import messages
from routing.text.language import say
from schemas.tables import Conversation, PendingText
from tests.text.conftest import TextHelpline, bodies
from tests.text.test_failures import app_with, signed_post, unreachable_redis
from workers.text_inbox import handle_pending_texts
from workers.text_jobs import text_queue

WORDS = "எனக்கு யாரிடமாவது பேச வேண்டும்"


def redis_down(helpline: TextHelpline) -> Services:
    """The helpline's services with every Redis client pointing at a closed port."""
    dead = unreachable_redis()
    return dataclasses.replace(helpline.services, redis=dead, request_redis=dead, text_request_redis=dead)


def test_a_text_kept_while_redis_was_down_reaches_a_listener_once_it_is_back(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    without_redis = redis_down(helpline)

    with app_with(without_redis) as client:
        status, _, body = signed_post(client, helpline, caller, WORDS)

    assert status == 200
    assert say("ta", messages.TEXT_KEPT, **helpline.crisis_values) in body
    [kept] = helpline.rows(PendingText)
    assert caller.number.encode() not in kept.sender_encrypted and WORDS.encode() not in kept.body_encrypted
    assert helpline.rows(Conversation) == []

    text_queue(helpline.services.redis).enqueue(handle_pending_texts)
    helpline.run_jobs()
    helpline.offer_waiting()

    assert helpline.rows(PendingText) == []
    [conversation] = helpline.rows(Conversation)
    assert conversation.language == "ta"
    welcome, joined = bodies(caller.inbox)[:2]
    assert welcome.startswith(say("ta", messages.TEXT_WELCOME).split(". ")[0])  # "Thank you for writing."
    assert joined == say("ta", messages.TEXT_DOCTOR_JOINED)
    assert any(WORDS in message for message in bodies(listener.inbox))


def test_a_redelivery_that_gets_through_first_is_not_handled_twice(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    without_redis = redis_down(helpline)
    with app_with(without_redis) as client:
        signed_post(client, helpline, caller, WORDS, sid="SM" + "5" * 32)
    with app_with(helpline.services) as client:
        signed_post(client, helpline, caller, WORDS, sid="SM" + "5" * 32)  # Twilio's retry, Redis back

    text_queue(helpline.services.redis).enqueue(handle_pending_texts)
    helpline.run_jobs()
    helpline.offer_waiting()

    assert helpline.rows(PendingText) == []
    assert len(helpline.rows(Conversation)) == 1
    assert sum(WORDS in message for message in bodies(listener.inbox)) == 1
