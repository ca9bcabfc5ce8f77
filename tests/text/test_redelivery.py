"""Twilio delivers a message's webhook again when it got no answer in time (same MessageSid): keywords and
menu answers are recorded like relayed messages, so a redelivery changes nothing and gets the same reply."""

from __future__ import annotations

from locales import messages
from routing.text.language import say
from schemas.tables import CallerProfile, Conversation, ConversationStatus, TextMessage
from telephony.simulator.phones import Phone
from tests.text.conftest import TextHelpline


def text_and_redeliver(helpline: TextHelpline, phone: Phone, body: str) -> tuple[list[str], str]:
    replies = helpline.text(phone, body)
    [sent] = [m for m in helpline.sim.messaging.messages if m.direction == "inbound" and m.body == body][-1:]
    return replies, sent.sid


def redeliver(helpline: TextHelpline, sid: str) -> list[str]:
    replies = [reply.body for reply in helpline.sim.messaging.redeliver(sid)]
    helpline.run_jobs()
    return replies


def test_a_redelivered_stop_answers_the_same_and_start_is_not_undone(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "mujhe baat karni hai")
    stopped, stop_sid = text_and_redeliver(helpline, caller, "STOP")

    assert redeliver(helpline, stop_sid) == stopped == [say("hi_Latn", messages.TEXT_STOPPED)]
    restarted, start_sid = text_and_redeliver(helpline, caller, "START")
    assert redeliver(helpline, stop_sid) == stopped  # late, after START: not stopped again
    assert not helpline.rows(CallerProfile)[0].opted_out
    assert redeliver(helpline, start_sid) == restarted


def test_a_redelivered_end_does_not_close_the_next_conversation(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    closed, end_sid = text_and_redeliver(helpline, caller, "END")
    helpline.text(caller, "மீண்டும் பேச வேண்டும்")

    assert redeliver(helpline, end_sid) == closed == [say("ta", messages.TEXT_CLOSED)]
    statuses = sorted(c.status for c in helpline.rows(Conversation))
    assert statuses == sorted([ConversationStatus.closed, ConversationStatus.waiting])


def test_a_redelivered_menu_answer_is_not_relayed_as_a_message(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("hi",))
    caller = helpline.caller()
    helpline.text(caller, "hello")  # no language to tell: the caller is asked
    chosen, answer_sid = text_and_redeliver(helpline, caller, "2")
    relayed = len(listener.inbox)

    assert redeliver(helpline, answer_sid) == chosen
    assert len(listener.inbox) == relayed
    assert [m.length for m in helpline.rows(TextMessage)] == [len("hello")]


def test_a_redelivered_call_asks_for_one_callback(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    asked, call_sid = text_and_redeliver(helpline, caller, "CALL")

    assert redeliver(helpline, call_sid) == asked
    assert [c.callback_requested for c in helpline.rows(Conversation)] == [True]
