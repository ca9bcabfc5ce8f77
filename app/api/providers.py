"""Provider accounts: an association's Exotel account, and the webhook URLs its flow's applets call."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.auth import ActorDep, AdminAssociation, id_of
from app.deps import ClockDep, SessionDep, SettingsDep, VaultDep, commit
from routing.configuration import providers
from schemas.api import ExotelAccountRead, ExotelAccountWrite
from schemas.tables import Provider, ProviderAccount
from telephony.exotel.urls import webhook_urls

router = APIRouter(prefix="/associations/{association_id}/providers", tags=["provider accounts"])


@router.put("/exotel", response_model=ExotelAccountRead)
def set_exotel_account(
    association: AdminAssociation,
    data: ExotelAccountWrite,
    actor: ActorDep,
    session: SessionDep,
    vault: VaultDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> ExotelAccountRead:
    """Create or replace the Exotel account (admins only: it holds the association's API token)."""
    account = providers.set_exotel_account(session, vault, id_of(association), data, actor, clock.now())
    commit(session)
    return _read(account, vault, settings.public_base_url)


@router.get("/exotel", response_model=ExotelAccountRead)
def read_exotel_account(
    association: AdminAssociation, session: SessionDep, vault: VaultDep, settings: SettingsDep
) -> ExotelAccountRead:
    account = providers.require_account(session, id_of(association), Provider.exotel)
    return _read(account, vault, settings.public_base_url)


def _read(account: ProviderAccount, vault: VaultDep, public_base_url: str) -> ExotelAccountRead:
    secret = providers.credentials(vault, account)
    return ExotelAccountRead(
        association_id=account.association_id,
        account_sid=account.account_sid,
        subdomain=account.subdomain,
        api_key_last4=secret.api_key[-4:],
        sms_sender=account.sms_sender,
        dlt_entity_id=account.dlt_entity_id,
        dlt_template_id=account.dlt_template_id,
        webhook_urls=webhook_urls(public_base_url, secret.webhook_token),
    )
