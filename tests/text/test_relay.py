"""Relaying both ways through the helpline number: tags for the listener, never anyone's number."""

from __future__ import annotations

from locales import messages
from routing.text.language import say
from schemas.tables import Channel, Conversation, ConversationStatus, TextMessage
from telephony.simulator.phones import Phone
from tests.text.conftest import SMS_NUMBER, WHATSAPP_NUMBER, TextHelpline, bodies
from workers.runner import InlineJobs


def assert_never_saw(phone: Phone, *others: Phone) -> None:
    seen = phone.seen_text()
    for other in others:
        assert other.number not in seen
        assert other.number.lstrip("+") not in seen
        assert other.number[-10:] not in seen


def test_whatsapp_round_trip_caller_listener_caller(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",), channel=Channel.whatsapp)
    caller = helpline.caller()

    helpline.text(caller, "வணக்கம், எனக்கு தூக்கமே வரவில்லை", whatsapp=True)

    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.active
    tag = f"#{conversation.tag}"
    intro, relayed = bodies(listener.inbox)
    assert tag in intro and "Tamil" in intro
    assert relayed == f"{tag} வணக்கம், எனக்கு தூக்கமே வரவில்லை"
    assert caller.inbox[-1].body == "ஒரு மருத்துவர் உரையாடலில் இணைந்துள்ளார்."

    assert helpline.text(listener, "வணக்கம், நான் டாக்டர். சொல்லுங்கள்", whatsapp=True) == []

    assert caller.inbox[-1].body == "வணக்கம், நான் டாக்டர். சொல்லுங்கள்"
    for message in caller.inbox:
        assert message.from_ == f"whatsapp:{WHATSAPP_NUMBER}" and message.to == f"whatsapp:{caller.number}"
    for message in listener.inbox:
        assert message.from_ == f"whatsapp:{WHATSAPP_NUMBER}" and message.to == f"whatsapp:{listener.number}"
    assert_never_saw(listener, caller)
    assert_never_saw(caller, listener)
    helpline.sim.assert_no_errors()


def test_sms_listener_hears_a_whatsapp_caller_on_sms(helpline: TextHelpline) -> None:
    listener = helpline.listener("Bala", ("hi",), channel=Channel.sms)
    caller = helpline.caller()

    helpline.text(caller, "mujhe kisi se baat karni hai", whatsapp=True)

    assert [m.from_ for m in listener.inbox] == [SMS_NUMBER, SMS_NUMBER]
    helpline.text(listener, "Namaste, main sun raha hoon")
    assert caller.inbox[-1].body == "Namaste, main sun raha hoon"
    assert caller.inbox[-1].from_ == f"whatsapp:{WHATSAPP_NUMBER}"


def test_a_listener_with_two_conversations_replies_by_tag(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta", "hi"), capacity=2)
    first, second = helpline.caller("first"), helpline.caller("second")
    helpline.text(first, "mujhe neend nahi aati")
    helpline.text(second, "எனக்கு பயமாக இருக்கிறது")
    conversations = {c.tag: c for c in helpline.rows(Conversation)}
    assert all(c.listener_id == helpline.listeners["Anbu"] for c in conversations.values())
    first_tag = next(tag for tag, c in conversations.items() if c.language == "hi")
    second_tag = next(tag for tag, c in conversations.items() if c.language == "ta")

    helpline.text(listener, f"#{first_tag} aap kab se pareshan hain?")
    helpline.text(listener, f"{'#' + second_tag.lower()}: சொல்லுங்கள், கேட்கிறேன்")

    assert bodies(first.inbox)[-1] == "aap kab se pareshan hain?"
    assert bodies(second.inbox)[-1] == "சொல்லுங்கள், கேட்கிறேன்"


def test_an_untagged_reply_with_two_conversations_open_is_not_relayed(helpline: TextHelpline) -> None:
    listener = helpline.listener("Kavya", ("ta", "hi"), capacity=2, prompt_language="ta")
    first, second = helpline.caller("first"), helpline.caller("second")
    helpline.text(first, "mujhe neend nahi aati")
    helpline.text(second, "எனக்கு பயமாக இருக்கிறது")
    seen = (len(first.inbox), len(second.inbox))
    tags = sorted(f"#{c.tag}" for c in helpline.rows(Conversation))

    [answer] = helpline.text(listener, "which one of you gets this?")

    assert (len(first.inbox), len(second.inbox)) == seen
    assert answer.startswith("செய்தி அனுப்பப்படவில்லை")
    assert answer == say("ta", messages.LISTENER_WHICH_CONVERSATION, tag=", ".join(tags))
    assert [m.direction for m in helpline.rows(TextMessage)] == ["from_caller", "from_caller"]

    helpline.text(listener, f"{tags[0]} now it is clear")
    helpline.text(listener, f"{tags[1]} and this one too")
    assert bodies(first.inbox)[-1] in ("now it is clear", "and this one too")
    assert bodies(second.inbox)[-1] in ("now it is clear", "and this one too")
    assert bodies(first.inbox)[-1] != bodies(second.inbox)[-1]


def test_a_listener_at_capacity_is_not_offered_a_third_conversation(helpline: TextHelpline) -> None:
    helpline.listener("Anbu", ("ta",), capacity=2)
    for i in range(3):
        helpline.text(helpline.caller(f"c{i}"), "எனக்கு பேச வேண்டும்")

    statuses = sorted(c.status for c in helpline.rows(Conversation))
    assert statuses == [ConversationStatus.active, ConversationStatus.active, ConversationStatus.waiting]


def test_messages_written_while_waiting_reach_the_listener_in_order(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    helpline.text(caller, "இரவு முழுவதும் வேலை")
    assert len(helpline.rows(TextMessage)) == 2

    listener = helpline.listener("Anbu", ("ta",))
    helpline.offer_waiting()

    assert [b.split(" ", 1)[1] for b in bodies(listener.inbox)[1:]] == [
        "எனக்கு பேச வேண்டும்",
        "இரவு முழுவதும் வேலை",
    ]


def test_the_listener_is_told_in_their_own_language(helpline: TextHelpline) -> None:
    listener = helpline.listener("Kavya", ("hi", "ta"), prompt_language="ta")
    helpline.text(helpline.caller(), "mujhe baat karni hai")
    [conversation] = helpline.rows(Conversation)

    assert bodies(listener.inbox)[0] == say(
        "ta", messages.LISTENER_NEW_CONVERSATION, tag=f"#{conversation.tag}", language="இந்தி"
    )


def test_the_associations_text_capacity_applies_when_the_listener_has_none(helpline: TextHelpline) -> None:
    helpline.configure(max_text_conversations=1)
    helpline.listener("Anbu", ("ta",))
    helpline.text(helpline.caller("a"), "எனக்கு பேச வேண்டும்")
    helpline.text(helpline.caller("b"), "எனக்கு பேச வேண்டும்")

    statuses = sorted(c.status for c in helpline.rows(Conversation))
    assert statuses == [ConversationStatus.active, ConversationStatus.waiting]


def test_a_failed_send_is_retried_by_the_scheduler_and_delivered_once(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    tag = helpline.rows(Conversation)[0].tag
    helpline.sim.fail_next_rest_request("Messages", status=503, code=20503)
    caller.send_message(SMS_NUMBER, "இரவு முழுவதும் வேலை")  # the webhook hands the relay to a job
    sends_before = len(message_sends(helpline))

    jobs = InlineJobs(helpline.services, periodic=[])  # the queued jobs and RQ's retries, on the clock
    for _ in range(120):  # ten simulated minutes at most, in five-second steps
        jobs()
        helpline.sim.advance(3)
        if len(listener.inbox) >= 3:
            break
        helpline.clock.advance(5)

    assert bodies(listener.inbox)[2:] == [f"#{tag} இரவு முழுவதும் வேலை"]
    assert len(message_sends(helpline)) - sends_before == 2  # refused once (503), then sent once
    [_, relayed] = helpline.rows(TextMessage)
    assert relayed.relayed_at is not None and relayed.body_encrypted is None


def message_sends(helpline: TextHelpline) -> list[str]:
    return [path for method, path, _ in helpline.sim.rest_requests if method == "POST" and "Messages" in path]
