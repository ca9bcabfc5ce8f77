"""When something breaks (Redis, a lost job, an unexpected error), the webhook still answers TwiML and the
work is found again once it can be done."""

from __future__ import annotations

import dataclasses
import socket
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from xml.etree import ElementTree

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.cli import make_api_key
from app.main import create_app
from app.services import Services
from schemas.tables import Conversation, Role, TextMessage
from telephony.signature import sign
from telephony.simulator.phones import Phone
from tests.text.conftest import SMS_NUMBER, TextHelpline, bodies
from workers.schedules import schedules
from workers.text_jobs import sweep_unrelayed_messages, text_queue

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

PATH = "/messaging/incoming"


class BrokenClock:
    """A clock that fails, standing in for anything unexpected that escapes the handler."""

    def now(self) -> datetime:
        raise RuntimeError("the clock stopped")


def unreachable_redis() -> redis.Redis:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return redis.Redis(
        host="127.0.0.1", port=port, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), retries=0)
    )


@contextmanager
def app_with(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
        yield client


def signed_post(
    client: TestClient, helpline: TextHelpline, sender: Phone, body: str, sid: str = ""
) -> tuple[int, str, str]:
    form = {
        "MessageSid": sid or "SM" + uuid.uuid4().hex,
        "AccountSid": helpline.services.settings.twilio_account_sid,
        "From": sender.number,
        "To": SMS_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }
    settings = helpline.services.settings
    signature = sign(settings.twilio_auth_token or "", settings.public_base_url + PATH, form)
    response = client.post(PATH, data=form, headers={"X-Twilio-Signature": signature})
    return response.status_code, response.headers.get("content-type", ""), response.text


def test_redis_down_after_a_reply_was_kept_still_answers_twiml_and_the_sweep_relays_it(
    helpline: TextHelpline,
) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    dead = unreachable_redis()
    without_redis = dataclasses.replace(
        helpline.services, redis=dead, request_redis=dead, text_request_redis=dead
    )

    with app_with(without_redis) as client:
        status, content_type, body = signed_post(client, helpline, listener, "சொல்லுங்கள், கேட்கிறேன்")

    assert status == 200 and "xml" in content_type
    assert ElementTree.fromstring(body).tag == "Response"
    assert helpline.rows(TextMessage)[-1].relayed_at is None
    assert sweep_unrelayed_messages in [schedule.func for schedule in schedules()]

    text_queue(helpline.services.redis).enqueue(sweep_unrelayed_messages)
    helpline.run_jobs()

    assert bodies(caller.inbox)[-1] == "சொல்லுங்கள், கேட்கிறேன்"
    text_queue(helpline.services.redis).enqueue(sweep_unrelayed_messages)
    helpline.run_jobs()
    assert bodies(caller.inbox).count("சொல்லுங்கள், கேட்கிறேன்") == 1


def test_a_relay_job_lost_from_redis_is_found_by_the_sweep(helpline: TextHelpline) -> None:
    listener = helpline.listener("Anbu", ("ta",))
    caller = helpline.caller()
    helpline.text(caller, "எனக்கு பேச வேண்டும்")
    caller.send_message(SMS_NUMBER, "இரவு முழுவதும் வேலை")
    queue = text_queue(helpline.services.redis)
    assert len(queue.job_ids) == 1
    queue.empty()  # the relay job is lost, as after a Redis failover without persistence

    queue.enqueue(sweep_unrelayed_messages)
    helpline.run_jobs()
    queue.enqueue(sweep_unrelayed_messages)
    helpline.run_jobs()

    tag = helpline.rows(Conversation)[0].tag
    assert bodies(listener.inbox)[2:] == [f"#{tag} இரவு முழுவதும் வேலை"]


def test_an_unexpected_error_answers_empty_twiml_on_the_webhook_and_json_on_the_api(
    helpline: TextHelpline,
) -> None:
    broken = dataclasses.replace(helpline.services, clock=BrokenClock())
    platform_key = make_api_key(broken.engine, role=Role.platform, name="ops", association_id=None)

    with app_with(broken) as client:
        status, content_type, body = signed_post(client, helpline, helpline.caller(), "hello")
        api = client.post(
            "/api/v1/associations", json={"name": "X"}, headers={"Authorization": f"Bearer {platform_key}"}
        )

    assert status == 200 and "xml" in content_type
    root = ElementTree.fromstring(body)
    assert root.tag == "Response" and list(root) == []
    assert api.status_code == 500 and api.json() == {"detail": "internal error"}
