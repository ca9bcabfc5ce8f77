"""The text channel's jobs: each piece of work queued once, lost work found again, failures that release
what they hold."""

from __future__ import annotations

from schemas.tables import Conversation, ConversationStatus, TextMessage
from tests.text.conftest import SMS_NUMBER, TextHelpline, bodies
from workers.routing_jobs import routing_tick
from workers.text_jobs import enqueue_relays, sweep_text_offers, text_queue


def test_an_offer_swept_twice_is_queued_once(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    listener = helpline.listener("Anbu", ("ta",))
    routing_tick()  # offers the waiting conversation; nobody has taken it yet
    queue = text_queue(helpline.services.redis)

    sweep_text_offers()
    sweep_text_offers()

    assert len(queue.job_ids) == 1 and queue.job_ids[0].startswith("text-offer-")
    helpline.run_jobs()
    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.active
    assert len(listener.inbox) == 2  # the introduction and the held message, once each


def test_a_relay_handed_over_twice_is_queued_once(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    caller.send_message(SMS_NUMBER, "இரவு முழுவதும் வேலை")  # the webhook hands the relay to a job
    held = helpline.rows(TextMessage)[-1]
    queue = text_queue(helpline.services.redis)

    enqueue_relays(queue, [held.id, held.id])

    assert queue.job_ids == [f"relay-{held.id}"]
    helpline.run_jobs()
    assert bodies(listener.inbox)[2:] == [f"#{helpline.rows(Conversation)[0].tag} இரவு முழுவதும் வேலை"]
