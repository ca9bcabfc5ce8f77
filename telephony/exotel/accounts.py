"""Which Exotel account carries a helpline number, and its REST client (credentials decrypted for the one
job that uses them)."""

from __future__ import annotations

from sqlmodel import Session

from routing.configuration import providers
from routing.configuration.providers import ProviderCredentials
from routing.phones import PhoneVault
from schemas.settings import Settings
from telephony.exotel.rest import ExotelClient
from telephony.exotel.urls import base_path


def account_for(session: Session, vault: PhoneVault, helpline: str) -> ProviderCredentials | None:
    """The account of an ExoPhone; None for a number Twilio carries."""
    return providers.credentials_for_number(session, vault, helpline)


def client(settings: Settings, account: ProviderCredentials) -> ExotelClient:
    return ExotelClient(
        account.account_sid,
        account.api_key,
        account.api_token,
        subdomain=account.subdomain,
        base_url=settings.exotel_api_base_url,
    )


def webhook_url(settings: Settings, account: ProviderCredentials, path: str) -> str:
    return settings.public_base_url.rstrip("/") + base_path(account.webhook_token) + path
