"""Conversations that go quiet close themselves; bodies are not kept unless the association opts in."""

from __future__ import annotations

import logging
import zlib
from typing import Any

import pytest
import redis
from sqlalchemy import text
from sqlmodel import SQLModel

from locales import messages
from routing.engine.live import LiveState
from routing.text.closing import close_idle
from routing.text.language import say
from schemas.tables import (
    Channel,
    Contact,
    ContactStatus,
    Conversation,
    ConversationStatus,
    FallbackPolicy,
    TextMessage,
)
from telephony.errors import TelephonyError
from telephony.simulator.phones import Phone
from tests.text.conftest import WHATSAPP_NUMBER, TextHelpline, bodies
from workers.schedules import schedules
from workers.text_jobs import (
    close_idle_conversations,
    notify_waiting_texters,
    purge_message_bodies,
    send_closing_notices,
    text_queue,
)


def run_scheduled(helpline: TextHelpline, job: object) -> None:
    assert job in [schedule.func for schedule in schedules()]
    text_queue(helpline.services.redis).enqueue(job)
    helpline.run_jobs()


def test_a_quiet_conversation_closes_itself_in_the_callers_language(helpline: TextHelpline) -> None:
    helpline.configure(conversation_idle_minutes=30)
    listener = helpline.listener("Anbu", ("hi",))
    caller = helpline.caller()
    helpline.text(caller, "mujhe kisi se baat karni hai")
    [conversation] = helpline.rows(Conversation)

    helpline.clock.advance(29 * 60)
    run_scheduled(helpline, close_idle_conversations)
    assert helpline.rows(Conversation)[0].status == ConversationStatus.active

    helpline.clock.advance(2 * 60)
    run_scheduled(helpline, close_idle_conversations)

    [closed] = helpline.rows(Conversation)
    assert closed.status == ConversationStatus.closed and closed.close_reason == "idle"
    assert closed.caller_encrypted is None
    assert bodies(caller.inbox)[-1] == say("hi_Latn", messages.TEXT_CLOSED_IDLE)
    assert bodies(listener.inbox)[-1] == f"Conversation #{conversation.tag} has ended."
    [contact] = helpline.rows(Contact)
    assert contact.status == ContactStatus.ended
    live = LiveState(helpline.services.redis).listener(helpline.listeners["Anbu"])
    assert live is not None and live.texts == 0

    run_scheduled(helpline, close_idle_conversations)
    assert len(caller.inbox) == 3  # welcome reply, doctor joined, closed: nothing twice


def test_a_waiting_texter_stays_in_the_queue_and_is_offered_a_call_back_once(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    welcomed = len(caller.inbox)

    helpline.clock.advance(4 * 60)  # the default policy: 2 + 3 minutes of listener steps, then a call back
    run_scheduled(helpline, notify_waiting_texters)
    assert len(caller.inbox) == welcomed

    helpline.clock.advance(2 * 60)
    run_scheduled(helpline, notify_waiting_texters)
    assert bodies(caller.inbox)[welcomed:] == [
        say("ta", messages.TEXT_ALL_BUSY_CALLBACK, **helpline.crisis_values)
    ]

    helpline.clock.advance(61 * 60)
    run_scheduled(helpline, close_idle_conversations)
    run_scheduled(helpline, notify_waiting_texters)

    assert len(caller.inbox) == welcomed + 1  # no idle close, and the offer once
    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.waiting and conversation.caller_encrypted is not None
    [waiting] = LiveState(helpline.services.redis).waiting(helpline.association_id)
    assert waiting.contact_id == conversation.contact_id

    listener = helpline.listener("Anbu", ("ta",))
    helpline.offer_waiting()
    assert bodies(listener.inbox)[-1].endswith("எனக்கு பேச வேண்டும்")


def test_a_waiting_texter_is_given_the_crisis_line_when_the_policy_says_so(helpline: TextHelpline) -> None:
    with helpline.session() as session:
        session.add(
            FallbackPolicy(
                association_id=helpline.association_id,
                language="hi",
                steps=[{"kind": "listeners", "languages": ["hi"], "seconds": 60}, {"kind": "crisis_line"}],
                updated_at=helpline.clock.now(),
            )
        )
        session.commit()
    caller = helpline.caller()
    helpline.text(caller, "mujhe kisi se baat karni hai")

    helpline.clock.advance(90)
    run_scheduled(helpline, notify_waiting_texters)
    run_scheduled(helpline, notify_waiting_texters)

    assert bodies(caller.inbox)[1:] == [
        say("hi_Latn", messages.TEXT_ALL_BUSY_CRISIS_LINE, **helpline.crisis_values)
    ]


def test_a_caller_who_never_chose_a_language_is_closed_when_quiet(helpline: TextHelpline) -> None:
    caller = helpline.caller()
    helpline.text(caller, "😢😢")

    helpline.clock.advance(61 * 60)
    run_scheduled(helpline, close_idle_conversations)

    [conversation] = helpline.rows(Conversation)
    assert conversation.status == ConversationStatus.closed and conversation.caller_encrypted is None
    assert helpline.rows(TextMessage)[0].body_encrypted is None


def every_stored_value(
    helpline: TextHelpline, caplog: pytest.LogCaptureFixture | None = None
) -> list[object]:
    """Everything Samvaad keeps or said: every database value, every Redis key and value (the live state,
    RQ's job hashes, queues and results, zlib-compressed fields opened), and the log records captured."""
    with helpline.services.engine.connect() as connection:
        values: list[object] = [
            value
            for table in SQLModel.metadata.sorted_tables
            for row in connection.execute(text(f'SELECT * FROM "{table.name}"'))
            for value in row
        ]
    values += every_redis_value(helpline.services.redis)
    for record in caplog.records if caplog is not None else []:
        values += [record.getMessage(), record.exc_text or "", str(record.exc_info or "")]
    return values


def every_redis_value(client: redis.Redis) -> list[object]:
    values: list[object] = []
    for key in client.keys("*"):
        values.append(key)
        kind: Any = client.type(key)
        values += values_at(client, key, kind.decode() if isinstance(kind, bytes) else str(kind))
    return values + [opened for value in values if (opened := decompressed(value)) is not None]


def values_at(client: redis.Redis, key: Any, kind: str) -> list[Any]:
    if kind == "string":
        return [client.get(key)]
    if kind == "hash":
        return [part for pair in client.hgetall(key).items() for part in pair]
    if kind == "list":
        return list(client.lrange(key, 0, -1))
    if kind == "set":
        return list(client.smembers(key))
    if kind == "zset":
        scored: list[Any] = client.zrange(key, 0, -1, withscores=True)
        return [member for member, _ in scored]
    if kind == "stream":
        entries: list[Any] = client.xrange(key) or []
        return [part for _, fields in entries for pair in (fields or {}).items() for part in pair]
    raise AssertionError(f"a Redis type the scan does not read: {kind}")


def decompressed(value: object) -> bytes | None:
    """RQ keeps job data, exceptions and results zlib-compressed."""
    if not isinstance(value, bytes) or not value.startswith(b"x"):
        return None
    try:
        return zlib.decompress(value)
    except zlib.error:
        return None


def holds(values: list[object], needle: str) -> bool:
    for value in values:
        if isinstance(value, bytes) and needle.encode() in value:
            return True
        if isinstance(value, str) and needle in value:
            return True
    return False


def holds_number(values: list[object], phone: Phone) -> bool:
    """The number in any form it may take: +91…, 91…, or its last ten digits."""
    number = phone.number
    return any(holds(values, form) for form in (number, number.lstrip("+"), number[-10:]))


def test_bodies_and_numbers_are_not_stored_queued_or_logged(
    helpline: TextHelpline, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    listener = helpline.listener("Anbu", ("hi",))
    caller = helpline.caller()
    helpline.text(caller, "mujhe neend nahi aati, raat bhar kaam")
    helpline.text(listener, "main samajh sakta hoon, bataiye")
    # Twilio's error text quotes the number it refused: it must reach neither RQ's results nor a log line.
    refused = f"The 'To' number {listener.number} is not a valid phone number."
    helpline.sim.fail_next_rest_request("Messages", status=400, code=21211, message=refused)
    helpline.text(caller, "END")

    values = every_stored_value(helpline, caplog)
    assert any(isinstance(v, bytes) and v.startswith(b"rq:job:notices-") for v in values)  # the scan sees RQ
    assert not holds(values, "raat bhar kaam") and not holds(values, "samajh sakta")
    assert not holds_number(values, caller)
    assert not holds_number(values, listener)
    messages_kept = helpline.rows(TextMessage)
    assert [(m.direction, m.length, m.body_encrypted) for m in messages_kept] == [
        ("from_caller", len("mujhe neend nahi aati, raat bhar kaam"), None),
        ("from_listener", len("main samajh sakta hoon, bataiye"), None),
    ]
    assert all(m.relayed_at is not None and m.segments == 1 for m in messages_kept)


def test_an_association_that_opts_in_keeps_bodies_encrypted_until_its_retention_ends(
    helpline: TextHelpline,
) -> None:
    helpline.configure(store_message_bodies=True, message_retention_days=30)
    listener = helpline.listener("Anbu", ("hi",))
    caller = helpline.caller()
    helpline.text(caller, "mujhe neend nahi aati")
    helpline.text(listener, "bataiye, main sun raha hoon")

    kept = helpline.rows(TextMessage)
    vault = helpline.services.vault
    assert [vault.decrypt(m.body_encrypted) for m in kept] == [
        "mujhe neend nahi aati",
        "bataiye, main sun raha hoon",
    ]
    assert not holds(every_stored_value(helpline), "neend nahi")

    helpline.clock.advance(29 * 86400)
    run_scheduled(helpline, purge_message_bodies)
    assert all(m.body_encrypted is not None for m in helpline.rows(TextMessage))

    helpline.clock.advance(2 * 86400)
    run_scheduled(helpline, purge_message_bodies)
    assert all(m.body_encrypted is None for m in helpline.rows(TextMessage))


def close_quietly_with_the_caller_unreachable(helpline: TextHelpline) -> tuple[Phone, int]:
    """A WhatsApp conversation with an SMS listener goes quiet; then the WhatsApp number is released from
    the account, so every notice to the caller fails with a 400."""
    listener = helpline.listener("Anbu", ("hi",), channel=Channel.sms)
    caller = helpline.caller()
    helpline.text(caller, "mujhe kisi se baat karni hai", whatsapp=True)
    [conversation] = helpline.rows(Conversation)
    assert conversation.id is not None and conversation.status == ConversationStatus.active
    helpline.sim.numbers.pop(WHATSAPP_NUMBER)
    helpline.clock.advance(61 * 60)
    with helpline.session() as session:
        close_idle(session, LiveState(helpline.services.redis), helpline.clock.now())
        session.commit()
    return listener, conversation.id


def test_a_notice_that_went_out_is_not_sent_again_and_the_number_goes_after_three_attempts(
    helpline: TextHelpline,
) -> None:
    listener, conversation_id = close_quietly_with_the_caller_unreachable(helpline)
    ended = f"Conversation #{helpline.rows(Conversation)[0].tag} has ended."

    for _ in range(2):  # as RQ runs it: the first run, then its retries
        with pytest.raises(TelephonyError):
            send_closing_notices(conversation_id)
        assert helpline.rows(Conversation)[0].caller_encrypted is not None
    send_closing_notices(conversation_id)
    helpline.sim.advance(3)

    assert bodies(listener.inbox).count(ended) == 1
    [closed] = helpline.rows(Conversation)
    assert closed.caller_encrypted is None and closed.closing_notices_sent
    assert (closed.listener_notified, closed.caller_notified) == (True, False)
    send_closing_notices(conversation_id)
    assert bodies(listener.inbox).count(ended) == 1


def test_the_callers_number_goes_an_hour_after_closing_whatever_happened(helpline: TextHelpline) -> None:
    _, conversation_id = close_quietly_with_the_caller_unreachable(helpline)
    with pytest.raises(TelephonyError):
        send_closing_notices(conversation_id)

    helpline.clock.advance(59 * 60)
    run_scheduled(helpline, close_idle_conversations)
    assert helpline.rows(Conversation)[0].caller_encrypted is not None

    helpline.clock.advance(2 * 60)
    run_scheduled(helpline, close_idle_conversations)
    assert helpline.rows(Conversation)[0].caller_encrypted is None
