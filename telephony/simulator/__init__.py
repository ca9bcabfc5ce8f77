"""A simulated Twilio for end-to-end tests: drive the real Samvaad service through real HTTP.

It does what Twilio does: posts signed, form-encoded webhooks to Samvaad's public URLs, runs the TwiML it gets
back (Say, Play, Pause, Gather, Redirect, Hangup, Reject, Enqueue with the waitUrl loop and Leave, Dial with
Number whispers or Queue), sends status callbacks, falls back to the Fallback URL when a webhook fails, and
serves a fake REST API (Calls, Messages, Queues, Members) that Samvaad's workers reach through
`telephony.rest.RestClient(base_url=sim.rest_base_url)`.

Time is virtual: prompts, rings and Gather timeouts take simulated seconds and cost nothing; a test moves time
with `run_until(predicate)`, `advance(seconds)` or `settle()`. Phones record everything their user perceives,
so a test can assert what a caller heard, in which language, and that no one saw anyone else's number.

    with TestClient(app) as client, Simulator(client, public_base_url="https://samvaad.example") as sim:
        sim.add_number(HELPLINE, voice_url="/voice/incoming", sms_url="/sms/incoming")
        caller = sim.phone("+919800000001", "caller")
        listener = sim.phone("+919800000002", "listener")
        caller.respond("Hindi", press="2")
        call = caller.call(HELPLINE)
        sim.run_until(lambda: call.is_in_queue)
        RestClient(sim.account_sid, sim.auth_token, base_url=sim.rest_base_url).place_call(...)
        listener.respond("press 1", press="1")
        sim.run_until(lambda: caller.is_bridged)
        assert caller.number not in listener.seen_text()

See docs/simulator.md for the full guide and the limitations.
"""

from telephony.simulator.core import SimError, SimulationTimeout, Simulator, SimulatorCrash
from telephony.simulator.messaging import SimMessage
from telephony.simulator.model import Bridge, SimCall, SimQueue, TwilioNumber
from telephony.simulator.phones import Heard, Phone
from telephony.simulator.webhooks import WebhookDriver, WebhookRequest

__all__ = [
    "Bridge",
    "Heard",
    "Phone",
    "SimCall",
    "SimError",
    "SimMessage",
    "SimQueue",
    "SimulationTimeout",
    "Simulator",
    "SimulatorCrash",
    "TwilioNumber",
    "WebhookDriver",
    "WebhookRequest",
]
