"""Twilio voice webhooks: parse (telephony), decide (routing), render (telephony), enqueue jobs (workers).

``deadline``: every handler's work runs in a thread under the deadline, in one transaction committed only if
its answer is the one given; ``answers``: rendering, the degraded answer, and the voice routes' last-resort
handler (every voice answer is TwiML); ``caller`` and ``listener``: the handlers of each leg. ``router``
gathers them for the app.
"""

from fastapi import APIRouter

from app.webhooks.voice import caller, listener

router = APIRouter(prefix="/twilio/voice", include_in_schema=False)
for part in (caller.router, caller.status_router, listener.router, listener.status_router):
    router.include_router(part)
