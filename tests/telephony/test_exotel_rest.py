"""Samvaad's Exotel client against the simulator's fake Exotel REST API: basic authentication with the
account's key and token, India's DLT fields on every SMS, Exotel's errors as TelephonyError."""

from __future__ import annotations

import pytest

from telephony.errors import TelephonyError
from telephony.exotel.rest import ExotelClient
from telephony.simulator.exotel.rest_api import ExotelRestApi


@pytest.fixture
def api() -> ExotelRestApi:
    server = ExotelRestApi("acct", "key", "token")
    yield server
    server.close()


def test_an_sms_carries_the_dlt_entity_and_template(api: ExotelRestApi) -> None:
    client = ExotelClient("acct", "key", "token", subdomain="api.in.exotel.com", base_url=api.base_url)
    sid = client.send_sms(
        sender="SAMVAD", to="+919800000001", body="नमस्ते", dlt_entity_id="1201", dlt_template_id="1207"
    )
    client.close()
    sent = api.requests[0]
    assert sent.sid == sid and sent.path == "/v1/Accounts/acct/Sms/send.json"
    assert sent.form["DltEntityId"] == "1201" and sent.form["DltTemplateId"] == "1207"
    assert sent.form["EncodingType"] == "unicode"  # Indic text is UCS-2


def test_refusals_become_telephony_errors(api: ExotelRestApi) -> None:
    wrong = ExotelClient("acct", "key", "wrong", subdomain="api.in.exotel.com", base_url=api.base_url)
    with pytest.raises(TelephonyError) as refused:
        wrong.connect_numbers(first="+919800000002", then="+919800000001", caller_id="+914023000100",
                              status_callback="https://x/status", timeout=30)  # fmt: skip
    wrong.close()
    assert refused.value.status == 401 and refused.value.is_refused_for_good
    client = ExotelClient("acct", "key", "token", subdomain="api.in.exotel.com", base_url=api.base_url)
    with pytest.raises(TelephonyError) as no_dlt:
        client.send_sms(sender="SAMVAD", to="+919800000001", body="hello", dlt_entity_id="")
    client.close()
    assert no_dlt.value.status == 400
    assert api.requests == []
