"""The text channel's jobs: each piece of work queued once, lost work found again, failures that release
what they hold."""

from __future__ import annotations

from locales import messages
from routing.engine.live import LiveState
from routing.text.language import say
from schemas.tables import Contact, ContactStatus, Conversation, ConversationStatus, TextMessage
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


def test_an_introduction_refused_for_good_goes_to_the_next_listener(helpline: TextHelpline) -> None:
    first, second = helpline.listener("Anbu", ("ta",)), helpline.listener("Bala", ("ta",))
    helpline.clock.advance(1)  # a declined listener goes behind one idle since earlier
    helpline.sim.fail_next_rest_request("Messages", status=400, code=21211, message="Invalid 'To' number")
    caller = helpline.caller()

    helpline.text(caller, "எனக்கு பேச வேண்டும்")

    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.active
    reached, unreached = (second, first) if second.inbox else (first, second)
    assert unreached.inbox == [] and len(reached.inbox) == 2
    assert conversation.listener_id == helpline.listeners[reached.name]
    assert bodies(caller.inbox)[-1] == say("ta", messages.TEXT_DOCTOR_JOINED)
    states = LiveState(helpline.services.redis)
    unreached_state = states.listener(helpline.listeners[unreached.name])
    assert unreached_state is not None and unreached_state.state == "available"  # a decline, not a pause


def test_with_nobody_reachable_the_conversation_waits_again(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    for _ in range(5):
        helpline.sim.fail_next_rest_request("Messages", status=400, code=21211, message="Invalid 'To' number")
    caller = helpline.caller()

    helpline.text(caller, "எனக்கு பேச வேண்டும்")

    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.waiting
    [contact] = helpline.rows(Contact)
    assert contact.status == ContactStatus.waiting and contact.listener_id is None
    assert listener.inbox == [] and len(caller.inbox) == 1  # the welcome only: no doctor has joined
    sent = [path for method, path, _ in helpline.sim.rest_requests if "Messages" in path]
    assert len(sent) == 1  # not offered the same conversation over and over
    state = LiveState(helpline.services.redis).listener(helpline.listeners["Anbu"])
    assert state is not None and state.state == "paused"  # after the association's missed-offer limit
