"""An association's Exotel account through the API: secrets stored encrypted, never shown again; a number
moves to Exotel only once the account exists."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.services import Services
from schemas.tables import ProviderAccount

ACCOUNT = {
    "account_sid": "samvaad-kerala",
    "api_key": "key-0123456789abcd",
    "api_token": "token-very-secret-5678",
    "subdomain": "api.in.exotel.com",
    "sms_sender": "SAMVAD",
    "dlt_entity_id": "1201160000000000001",
    "dlt_template_id": "1207160000000000002",
}


def test_an_exotel_number_needs_the_account_first(client, admin, association: dict[str, Any]) -> None:
    numbers = f"/api/v1/associations/{association['id']}/numbers"
    refused = client.post(numbers, json={"number": "+918040001000", "provider": "exotel"}, headers=admin)
    assert refused.status_code == 422, refused.text
    assert "provider" in refused.text

    put = client.put(
        f"/api/v1/associations/{association['id']}/providers/exotel", json=ACCOUNT, headers=admin
    )
    assert put.status_code == 200, put.text
    created = client.post(numbers, json={"number": "+918040001000", "provider": "exotel"}, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["provider"] == "exotel"
    twilio = client.post(numbers, json={"number": "+14155550100"}, headers=admin)
    assert twilio.json()["provider"] == "twilio"


def test_secrets_are_encrypted_and_never_shown(
    client, admin, association: dict[str, Any], services: Services
) -> None:
    url = f"/api/v1/associations/{association['id']}/providers/exotel"
    body = client.put(url, json=ACCOUNT, headers=admin).json()
    assert body["api_key_last4"] == "abcd"
    assert ACCOUNT["api_token"] not in str(body) and ACCOUNT["api_key"] not in str(body)
    urls = body["webhook_urls"]
    assert urls["passthru_incoming"].startswith(services.settings.public_base_url.rstrip("/") + "/exotel/")
    with Session(services.engine) as session:
        row = session.exec(select(ProviderAccount)).one()
        assert ACCOUNT["api_token"].encode() not in row.credentials_encrypted
        assert b"token-very" not in row.credentials_encrypted
        token = urls["passthru_incoming"].split("/exotel/")[1].split("/")[0]
        assert token not in row.webhook_key
    again = client.get(url, headers=admin).json()
    assert again["webhook_urls"] == urls  # the token stays unless rotated
    rotated = client.put(url, json={**ACCOUNT, "rotate_webhook_token": True}, headers=admin).json()
    assert rotated["webhook_urls"]["passthru_incoming"] != urls["passthru_incoming"]


def test_bad_account_fields_are_named(client, admin, association: dict[str, Any]) -> None:
    url = f"/api/v1/associations/{association['id']}/providers/exotel"
    bad = client.put(url, json={**ACCOUNT, "subdomain": "https://evil/"}, headers=admin)
    assert bad.status_code == 422 and "subdomain" in bad.text
    missing = client.get(f"/api/v1/associations/{association['id']}/providers/exotel", headers=admin)
    assert missing.status_code == 404
