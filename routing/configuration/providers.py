"""Provider accounts: an association's own account with a provider other than the platform's Twilio
(Exotel). Its API key and token are encrypted with the vault's key (the one callback numbers use), and its
webhooks are recognised by a secret token in their URLs, found by its keyed hash (Exotel signs nothing).

A number carried by Exotel needs the association's Exotel account first: a number cannot be switched to a
provider Samvaad has no credentials for.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from routing.configuration.audit import Actor, Subject, create_audited, update_audited
from routing.errors import InvalidConfigurationError, NotFoundError
from routing.phones import PhoneVault
from schemas.api import ExotelAccountWrite
from schemas.tables import HelplineNumber, Provider, ProviderAccount

TOKEN_BYTES = 24


@dataclass(frozen=True)
class ProviderCredentials:
    """An account's secrets, decrypted for the one request or job that uses them. Never logged."""

    account_sid: str
    subdomain: str
    api_key: str
    api_token: str
    webhook_token: str
    sms_sender: str = ""
    dlt_entity_id: str = ""
    dlt_template_id: str = ""


def get_account(session: Session, association_id: int, provider: Provider) -> ProviderAccount | None:
    query = select(ProviderAccount).where(
        ProviderAccount.association_id == association_id, ProviderAccount.provider == provider
    )
    return session.exec(query).first()


def require_account(session: Session, association_id: int, provider: Provider) -> ProviderAccount:
    account = get_account(session, association_id, provider)
    if account is None:
        raise NotFoundError(f"the association has no {provider.value} account")
    return account


def set_exotel_account(
    session: Session,
    vault: PhoneVault,
    association_id: int,
    data: ExotelAccountWrite,
    actor: Actor,
    now: datetime,
) -> ProviderAccount:
    """Create or replace the association's Exotel account. The webhook token is kept unless rotated."""
    account = get_account(session, association_id, Provider.exotel)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if account is not None and not data.rotate_webhook_token:
        token = credentials(vault, account).webhook_token
    secret = json.dumps({"api_key": data.api_key, "api_token": data.api_token, "webhook_token": token})
    public: dict[str, object] = {
        "account_sid": data.account_sid,
        "subdomain": data.subdomain,
        "sms_sender": data.sms_sender,
        "dlt_entity_id": data.dlt_entity_id,
        "dlt_template_id": data.dlt_template_id,
    }
    if account is None:
        account = ProviderAccount(
            association_id=association_id,
            provider=Provider.exotel,
            account_sid=data.account_sid,
            subdomain=data.subdomain,
            sms_sender=data.sms_sender,
            dlt_entity_id=data.dlt_entity_id,
            dlt_template_id=data.dlt_template_id,
            credentials_encrypted=vault.encrypt(secret),
            webhook_key=vault.webhook_key(token),
            created_at=now,
        )
        create_audited(session, actor, account, "provider_account", public)
        return account
    update_audited(session, actor, account, public, _subject(account))
    account.credentials_encrypted = vault.encrypt(secret)
    account.webhook_key = vault.webhook_key(token)
    session.add(account)
    session.flush()
    return account


def credentials(vault: PhoneVault, account: ProviderAccount) -> ProviderCredentials:
    secret = json.loads(vault.decrypt(account.credentials_encrypted))
    return ProviderCredentials(
        account_sid=account.account_sid,
        subdomain=account.subdomain,
        api_key=secret["api_key"],
        api_token=secret["api_token"],
        webhook_token=secret["webhook_token"],
        sms_sender=account.sms_sender,
        dlt_entity_id=account.dlt_entity_id,
        dlt_template_id=account.dlt_template_id,
    )


def find_by_webhook_token(session: Session, vault: PhoneVault, token: str) -> ProviderAccount | None:
    """The account whose webhook URLs carry ``token``; None for a forged or rotated-out token."""
    if not token or len(token) > 100:
        return None
    return session.exec(
        select(ProviderAccount).where(ProviderAccount.webhook_key == vault.webhook_key(token))
    ).first()


def credentials_for_number(session: Session, vault: PhoneVault, number: str) -> ProviderCredentials | None:
    """The Exotel credentials of the association that owns voice number ``number``; None on Twilio."""
    row = session.exec(
        select(HelplineNumber).where(
            HelplineNumber.number == number, HelplineNumber.provider == Provider.exotel
        )
    ).first()
    if row is None:
        return None
    account = get_account(session, row.association_id, Provider.exotel)
    return credentials(vault, account) if account is not None else None


def check_provider(session: Session, association_id: int, provider: Provider) -> None:
    """A number may move to Exotel only once the association's Exotel account exists."""
    if provider != Provider.twilio and get_account(session, association_id, provider) is None:
        raise InvalidConfigurationError(
            f"set the association's {provider.value} account first (PUT …/providers/{provider.value})",
            field="provider",
        )


def _subject(row: ProviderAccount) -> Subject:
    return Subject("provider_account", row.id, row.association_id)
