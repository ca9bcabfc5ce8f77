"""Voice jobs: ring a listener for an offer, bring the caller over when they accept, call back.

Webhook handlers never call the provider's REST API on the request path; they enqueue these. Each job takes
ids, looks everything up, and is safe to run twice (a claim in ``webhook_effects`` lets one run act). A job
is one transaction: if the provider refuses, it raises, its claim rolls back with the rest, and RQ retries. Phone
numbers are decrypted here, only for the call being placed, and never logged unmasked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from rq import Queue
from rq import Retry as JobRetry

from routing import engine, voice
from routing.engine.live import LiveState
from routing.engine.offers import WHISPER_SECONDS
from routing.engine.records import ACTIVE as ACTIVE_CONTACT
from routing.phones import mask
from routing.voice import callbacks, decisions, records
from schemas.tables import CallbackStatus, Contact
from telephony.errors import TelephonyError
from telephony.exotel import accounts
from telephony.rest import RestClient
from telephony.twiml.voice import Urls
from workers.provider_calls import offer_through_provider
from workers.queueing import enqueue_once
from workers.routing_jobs import schedule_wrapup_end
from workers.scope import QUEUE_NAME, JobScope, job_scope

logger = logging.getLogger(__name__)

MIN_RING_SECONDS = 8
CALLBACK_RING_SECONDS = 30
CALLBACK_RETRY = JobRetry(max=3, interval=[10, 30, 120])
RING_RETRY = JobRetry(max=2, interval=[1, 2])


def rest_client(scope: JobScope) -> RestClient:
    settings = scope.settings
    return RestClient(
        settings.twilio_account_sid, settings.twilio_auth_token or "", base_url=settings.twilio_api_base_url
    )


def urls(scope: JobScope) -> Urls:
    return Urls(scope.settings.public_base_url)


# ---- enqueueing (from webhook handlers and from jobs) ----


def enqueue_offer_calls(queue: Queue, offers: Iterable[engine.Offer]) -> None:
    for offer in offers:
        if offer.kind == "voice":
            enqueue_once(queue, f"offer-{offer.offer_id}", offer_call, offer.offer_id, retry=RING_RETRY)


def enqueue_bridge(queue: Queue, offer_id: str) -> None:
    enqueue_once(queue, f"bridge-{offer_id}", bridge_caller, offer_id, retry=RING_RETRY)


def enqueue_taken(queue: Queue, offer_id: str) -> None:
    enqueue_once(queue, f"taken-{offer_id}", tell_offer_taken, offer_id, retry=RING_RETRY)


def _queue(scope: JobScope) -> Queue:
    return Queue(QUEUE_NAME, connection=scope.redis)


# ---- ringing the listener ----


def offer_call(offer_id: str) -> None:
    """Ring the offered listener from the helpline number; their answer runs the whisper. A second run, or
    an offer already gone, does nothing."""
    with job_scope() as scope:
        now = scope.clock.now()
        offer = voice.prepare_offer(scope.session, offer_id, now)
        if offer is None or offer.call_sid or offer.outcome:
            return
        contact = records.find_contact(scope.session, offer.contact_id)
        listener = records.find_listener(scope.session, offer.listener_id)
        if contact is None or listener is None:
            return
        if offer.callback_id is not None and not _callback_hours_open(scope, offer.helpline, now):
            _postpone_callback(scope, contact.id, now)
            return
        account = accounts.account_for(scope.session, scope.vault, offer.helpline)
        if account is not None:
            offer_through_provider(scope, offer, contact, listener, account)
            return
        if not records.claim_effect(scope.session, offer_id, "ring", "", now):
            return
        ring = _ring_seconds(contact, now)
        rest = rest_client(scope)
        try:
            _ensure_queue(rest, decisions.offer_queue_name(offer_id))
            call_sid = rest.place_call(
                to=scope.vault.decrypt(listener.phone_encrypted),
                from_=offer.helpline,
                url=urls(scope).to("/twilio/voice/whisper", offer=offer_id),
                status_callback=urls(scope).to("/twilio/voice/listener-status", offer=offer_id),
                timeout=ring,
                machine_detection="Enable",
            )
        finally:
            rest.close()
        records.set_offer_outcome(scope.session, offer, "", call_sid)
        logger.info("listener rung offer=%s listener=%s ring=%ds", offer_id, mask(listener.phone_last4), ring)


def _ring_seconds(contact: Contact, now: datetime) -> int:
    """Ring until the offer's deadline less routing's allowance for the whisper and the keypress: the
    association's full ring time for a fresh offer."""
    if contact.offer_deadline_us is None:
        return MIN_RING_SECONDS
    left = contact.offer_deadline_us / 1_000_000 - now.timestamp()
    return max(MIN_RING_SECONDS, int(left) - WHISPER_SECONDS)


def _ensure_queue(rest: RestClient, name: str) -> None:
    """The offer's own queue must exist before the listener dials it (an unknown queue fails the Dial)."""
    if rest.find_queue(name) is not None:
        return
    try:
        rest.create_queue(name)
    except TelephonyError as exc:
        if exc.code != 22003:  # created meanwhile by another run
            raise


# ---- bringing the caller to the listener ----


def tell_offer_taken(offer_id: str) -> None:
    """Another listener rung together for a caller in danger took the call: a leg still ringing stops, an
    answered one hears so in its listener's language. A leg already over, or never placed, needs nothing."""
    with job_scope() as scope:
        offer = records.get_offer(scope.session, offer_id)
        if offer is None or not offer.call_sid:
            return
        rest = rest_client(scope)
        try:
            if rest.get_call_status(offer.call_sid) in ("queued", "ringing"):
                rest.end_call(offer.call_sid)
            else:
                rest.redirect_call(
                    offer.call_sid, urls(scope).to("/twilio/voice/offer-taken", offer=offer_id)
                )
        except TelephonyError as exc:
            if exc.status != 404 and exc.code not in (20404, 21220):
                raise  # a passing failure: RQ's retry tries again
        finally:
            rest.close()


def bridge_caller(offer_id: str) -> None:
    """The listener pressed 1: move exactly this caller out of the language queue into the offer's queue,
    which the listener is dialling (or call them back, for a callback)."""
    with job_scope() as scope:
        now = scope.clock.now()
        offer = records.get_offer(scope.session, offer_id)
        if offer is None or offer.outcome != "accepted":
            return
        if offer.callback_id is not None:
            _queue(scope).enqueue(
                run_callback,
                offer.callback_id,
                offer_id,
                job_id=f"callback-{offer.callback_id}-{offer_id}",
                retry=CALLBACK_RETRY,
            )
            return
        if not records.claim_effect(scope.session, offer_id, "bridge", "", now):
            return
        call = records.get_call_for_contact(scope.session, offer.contact_id)
        rest = rest_client(scope)
        try:
            if call is None or call.queue_sid is None:
                raise TelephonyError(code=None, status=404, message="caller not queued")
            rest.dequeue_member(
                call.queue_sid, call.call_sid, urls(scope).to("/twilio/voice/bridge", offer=offer_id)
            )
            records.set_offer_outcome(scope.session, offer, "connected")
        except TelephonyError as exc:
            if exc.status != 404 and exc.code not in (20404, 21220):
                raise  # the job's transaction, its claim included, rolls back: RQ's retry tries again
            logger.info("caller gone before the bridge offer=%s", offer_id)
            _release_listener(scope, rest, offer_id)
        finally:
            rest.close()


def _release_listener(scope: JobScope, rest: RestClient, offer_id: str) -> None:
    """The caller is gone: tell the listener, instead of leaving them in a silent queue."""
    offer = records.get_offer(scope.session, offer_id)
    if offer is None or offer.call_sid is None:
        return
    try:
        rest.redirect_call(
            offer.call_sid, urls(scope).to("/twilio/voice/listener-done", offer=offer_id, gone=1)
        )
    except TelephonyError:
        logger.info("listener call already over offer=%s", offer_id)


# ---- callbacks ----


def run_callback(callback_id: str, offer_id: str) -> None:
    """The listener accepted a callback and waits in the offer's queue: call the caller from the helpline
    number. Idempotency key: the callback and offer ids (one dial per accepted offer). The number is
    decrypted here and nowhere else; RQ retries this job if the provider refuses the call."""
    with job_scope() as scope:
        now = scope.clock.now()
        callback = records.get_callback(scope.session, callback_id)
        offer = records.get_offer(scope.session, offer_id)
        if (
            callback is None
            or offer is None
            or offer.outcome != "accepted"
            or callback.number_encrypted is None
        ):
            return
        if not records.claim_effect(scope.session, offer_id, "callback-dial", "", now):
            return
        if not callbacks.start_attempt(scope.session, callback, now):
            rest = rest_client(scope)
            _release_listener(scope, rest, offer_id)
            rest.close()
            return
        rest = rest_client(scope)
        try:
            call_sid = rest.place_call(
                to=scope.vault.decrypt(callback.number_encrypted),
                from_=callback.helpline,
                url=urls(scope).to("/twilio/voice/callback-answer", callback=callback_id, offer=offer_id),
                status_callback=urls(scope).to(
                    "/twilio/voice/callback-status", callback=callback_id, offer=offer_id
                ),
                timeout=CALLBACK_RING_SECONDS,
                machine_detection="Enable",
            )
        except TelephonyError as exc:
            if exc.is_refused_for_good:
                _callback_refused(scope, rest, callback_id, offer_id, exc)
                return
            # a passing failure: the attempt is not counted and the claim goes with the job's transaction;
            # RQ retries this job, which counts it again
            scope.session.rollback()
            raise
        finally:
            rest.close()
        logger.info(
            "calling back callback=%s attempt=%d call_sid=%s", callback_id, callback.attempts, call_sid
        )


def callback_not_reached(callback_id: str, offer_id: str, outcome: str) -> None:
    """The caller did not answer (or a machine did): free the listener; try again later or give up (the
    number is erased after the last attempt)."""
    with job_scope() as scope:
        now = scope.clock.now()
        callback = records.get_callback(scope.session, callback_id)
        offer = records.get_offer(scope.session, offer_id)
        if callback is None or offer is None:
            return
        if not records.claim_effect(scope.session, offer_id, "callback-missed", "", now):
            return
        callbacks.attempt_failed(scope.session, callback, outcome, now)
        rest = rest_client(scope)
        _end_callback_contact(scope, rest, offer_id, offer.contact_id, now)
        rest.close()


def _callback_refused(
    scope: JobScope, rest: RestClient, callback_id: str, offer_id: str, exc: TelephonyError
) -> None:
    """The provider refused the caller's number for good: the attempt is spent and no other would fare
    better, so the callback is closed (its number erased) and the listener waiting for it released."""
    now = scope.clock.now()
    callback = records.get_callback(scope.session, callback_id)
    offer = records.get_offer(scope.session, offer_id)
    if callback is None or offer is None:
        return
    callbacks.finish(scope.session, callback, CallbackStatus.failed, f"refused {exc.code}", now)
    logger.warning("callback refused for good callback=%s code=%s", callback_id, exc.code)
    _end_callback_contact(scope, rest, offer_id, offer.contact_id, now)


def _end_callback_contact(
    scope: JobScope, rest: RestClient, offer_id: str, contact_id: str, now: datetime
) -> None:
    """This attempt is over: end its contact (the listener's wrap-up follows) and tell the listener."""
    contact = records.find_contact(scope.session, contact_id)
    if contact is not None and contact.status in ACTIVE_CONTACT:
        live = LiveState(scope.redis)
        schedule_wrapup_end(_queue(scope), engine.end_contact(scope.session, live, contact.id, now))
    _release_listener(scope, rest, offer_id)


def _callback_hours_open(scope: JobScope, helpline: str, now: datetime) -> bool:
    from routing.voice.helplines import load_helpline

    config = load_helpline(scope.session, helpline)
    return config is None or callbacks.hours_at(config, now).open_now


def _postpone_callback(scope: JobScope, contact_id: str, now: datetime) -> None:
    """Outside callback hours: give the listener back and wait for the hours to open (the sweep requeues)."""
    live = LiveState(scope.redis)
    engine.cancel_contact(scope.session, live, contact_id, now)


def requeue_due_callbacks() -> int:
    """Callbacks whose next attempt is due, back in routing's queue (their first place was kept while the
    caller waited; a retry queues again)."""
    with job_scope() as scope:
        now = scope.clock.now()
        live = LiveState(scope.redis)
        count, offers = 0, list[engine.Offer]()
        for callback in records.due_callbacks(scope.session, now):
            config_open = _callback_hours_open(scope, callback.helpline, now)
            if config_open and callbacks.requeue(scope.session, live, callback, now) is not None:
                count += 1
                offers += engine.dispatch(scope.session, live, callback.association_id, now)
    enqueue_offer_calls(_queue(scope), offers)  # once committed: the job finds the offer it is given
    return count


# ---- the sweep ----


def sweep_voice_offers() -> None:
    """Every few seconds: ring offers routing made on its own (the tick, a listener freed) and requeue
    callbacks that are due. Safe to overlap with everything else: ``offer_call`` rings an offer once."""
    with job_scope() as scope:
        pending = voice.offered_contacts_without_call(scope.session)
        queue = _queue(scope)
        for offer_id in pending:
            enqueue_once(queue, f"offer-{offer_id}", offer_call, offer_id, retry=RING_RETRY)
    requeue_due_callbacks()
