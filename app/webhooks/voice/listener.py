"""The legs Samvaad places: the listener's (the whisper, the keypress, the end, its status callbacks) and the
caller called back (answered, and its status)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from rq import Queue
from sqlmodel import Session

from app.webhooks.twilio_auth import SignedHook
from app.webhooks.voice.answers import ListenerRoute, StatusRoute, urls
from app.webhooks.voice.deadline import acknowledge, follow_up, listener_answer
from routing import transaction, voice
from routing.engine.live import LiveState
from routing.voice import decisions, whispers
from routing.voice import records as call_records
from schemas.tables import CallbackStatus
from telephony import webhooks as adapter
from telephony.twiml import voice as twiml
from workers import voice_jobs
from workers.scope import QUEUE_NAME

router = APIRouter(route_class=ListenerRoute)
status_router = APIRouter(route_class=StatusRoute)


@router.post("/whisper")
async def whisper(hook: SignedHook) -> Response:
    """The listener answered Samvaad's call: who waits, and "press 1" (a machine is hung up on)."""
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        outcome = voice.whisper(
            session,
            live,
            offer_id=offer_id,
            call_sid=hook.param("CallSid"),
            answered_by=hook.param("AnsweredBy") or None,
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)
        speaker = twiml.Speaker(hook.services.helplines.peek(hook.param("From")))
        if isinstance(outcome.decision, decisions.Whisper):
            return twiml.render_whisper(
                outcome.decision, speaker, urls(hook).to("/twilio/voice/accept", offer=offer_id)
            )
        if isinstance(outcome.decision, decisions.Goodbye):
            return twiml.render_goodbye(outcome.decision, speaker)
        return twiml.render_hangup()

    return await listener_answer(hook, work)


@router.post("/offer-taken")
async def offer_taken(hook: SignedHook) -> Response:
    """A listener rung together with others for a caller in danger, whose offer another took: told so."""
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        outcome = voice.taken_notice(session, offer_id)
        assert isinstance(outcome.decision, decisions.Goodbye)
        speaker = twiml.Speaker(hook.services.helplines.peek(hook.param("From")))
        return twiml.render_goodbye(outcome.decision, speaker)

    return await listener_answer(hook, work)


@router.post("/accept")
async def accept(hook: SignedHook) -> Response:
    """The listener's key: 1 connects (the caller is brought over by a job), anything else declines."""
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        entered = adapter.parse_digits(hook.params)
        outcome = voice.answer_offer(
            session,
            live,
            offer_id=offer_id,
            call_sid=entered.call_sid,
            digits=entered.digits,
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)
        speaker = twiml.Speaker(hook.services.helplines.peek(hook.param("From")))
        decision = outcome.decision
        if isinstance(decision, decisions.ConnectListener):
            done = urls(hook).to("/twilio/voice/listener-done", offer=offer_id)
            return twiml.render_connect(decision, speaker, done, caller_id=hook.param("From") or None)
        assert isinstance(decision, decisions.Goodbye)
        return twiml.render_goodbye(decision, speaker)

    return await listener_answer(hook, work)


@router.post("/listener-done")
async def listener_done(hook: SignedHook) -> Response:
    """The listener's side is over (the caller hung up, or was gone before the bridge)."""

    def work(session: Session, live: LiveState) -> str:
        if hook.query.get("gone"):
            offer = call_records.get_offer(session, hook.query.get("offer", ""))
            listener = call_records.find_listener(session, offer.listener_id) if offer else None
            language = listener.prompt_language if listener else "en"
            goodbye = whispers.accept(language, whispers.AcceptResult(False, "cancelled"), "")
            assert isinstance(goodbye, decisions.Goodbye)
            return twiml.render_goodbye(goodbye, twiml.Speaker(None))
        return twiml.render_hangup()

    return await listener_answer(hook, work)


@status_router.post("/listener-status")
async def listener_status(hook: SignedHook) -> Response:
    """Status callbacks of the listener's leg drive presence: wrap-up after a call, missed offers counted."""

    def work(session: Session, live: LiveState) -> None:
        status = adapter.parse_call_status(hook.params)
        outcome = voice.listener_call_status(
            session,
            live,
            offer_id=hook.query.get("offer", ""),
            call_sid=status.call_sid,
            status=status.status,
            now=hook.services.clock.now(),
        )
        follow_up(session, hook.services, outcome)

    return await acknowledge(hook, work)


# ---- callbacks ----


@router.post("/callback-answer")
async def callback_answer(hook: SignedHook) -> Response:
    """The caller we called back answered: greet them in their language and put them through."""
    callback_id = hook.query.get("callback", "")
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> str:
        outcome = voice.callback_answered(
            session,
            callback_id=callback_id,
            offer_id=offer_id,
            call_sid=hook.param("CallSid"),
            answered_by=hook.param("AnsweredBy") or None,
            now=hook.services.clock.now(),
        )
        config = hook.services.helplines.peek(hook.param("From"))
        if isinstance(outcome.decision, decisions.JoinQueue):
            return twiml.render_join_queue(
                outcome.decision,
                twiml.Speaker(config),
                urls(hook).to("/twilio/voice/offer-wait"),
                urls(hook).to("/twilio/voice/queue-exit"),
            )
        return twiml.render_hangup()

    return await listener_answer(hook, work)


@status_router.post("/callback-status")
async def callback_status(hook: SignedHook) -> Response:
    """The callback leg ended: unless the caller was put through, the attempt failed."""
    callback_id = hook.query.get("callback", "")
    offer_id = hook.query.get("offer", "")

    def work(session: Session, live: LiveState) -> None:
        status = adapter.parse_call_status(hook.params)
        if not status.is_final:
            return
        callback = call_records.get_callback(session, callback_id)
        if callback is not None and callback.status == CallbackStatus.calling:
            queue = Queue(QUEUE_NAME, connection=hook.services.fast_redis)
            missed = "voicemail" if whispers.is_machine(status.answered_by) else status.status
            transaction.after_commit(
                session, lambda: queue.enqueue(voice_jobs.callback_not_reached, callback_id, offer_id, missed)
            )
        else:
            outcome = voice.call_ended(session, live, call_sid=status.call_sid, now=hook.services.clock.now())
            follow_up(session, hook.services, outcome)

    return await acknowledge(hook, work)
