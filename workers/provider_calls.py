"""Offers on numbers whose provider rings the listener itself (Exotel): nothing to ring for a caller on
the line (the flow's Connect applet asks Samvaad whom to dial, ``routing.voice.connect``), and a callback
placed through the provider's call API, which rings the listener first, then the caller, both seeing the
helpline number. Same claims as the Twilio jobs: a second run places nothing."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from routing import engine
from routing.configuration.providers import ProviderCredentials
from routing.engine.live import LiveState
from routing.phones import mask
from routing.voice import callbacks, records
from schemas.tables import Contact, Listener, VoiceOffer
from telephony.errors import TelephonyError
from telephony.exotel import accounts
from workers.scope import JobScope

logger = logging.getLogger(__name__)

CALLBACK_RING_SECONDS = 30


def offer_through_provider(
    scope: JobScope, offer: VoiceOffer, contact: Contact, listener: Listener, account: ProviderCredentials
) -> None:
    """A caller on the line: the Connect applet rings. A callback: listener first, then the caller."""
    if offer.callback_id is None:
        return
    now = scope.clock.now()
    callback = records.get_callback(scope.session, offer.callback_id)
    if callback is None or callback.number_encrypted is None:
        return
    if not records.claim_effect(scope.session, offer.offer_id, "ring", "", now):
        return
    accepted = engine.accept_offer(scope.session, LiveState(scope.redis), offer.offer_id, now)
    if not accepted.ok or not callbacks.start_attempt(scope.session, callback, now):
        return
    status = accounts.webhook_url(scope.settings, account, "/callback-status")
    query = urlencode({"callback": callback.id, "offer": offer.offer_id})
    client = accounts.client(scope.settings, account)
    try:
        call_sid = client.connect_numbers(
            first=scope.vault.decrypt(listener.phone_encrypted),
            then=scope.vault.decrypt(callback.number_encrypted),
            caller_id=offer.helpline,
            status_callback=f"{status}?{query}",
            timeout=CALLBACK_RING_SECONDS,
        )
    except TelephonyError:
        scope.session.rollback()  # nothing stays: the claim, the acceptance, the attempt; RQ retries
        raise
    finally:
        client.close()
    records.set_offer_outcome(scope.session, offer, "accepted", call_sid)
    logger.info("callback through exotel offer=%s listener=%s", offer.offer_id, mask(listener.phone_last4))
