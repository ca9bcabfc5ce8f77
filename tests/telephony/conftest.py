"""A tiny helpline of our own (not Samvaad's flow) for testing the simulator against real HTTP.

menu (Gather) -> Enqueue with a waitUrl loop -> a listener called through the REST API hears a whisper,
presses 1 and takes the front caller with <Dial><Queue>. Every request's signature is checked with
telephony.signature against the public URL, and every form is kept so tests can look at what Twilio sent.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, FastAPI, HTTPException, Request, Response

from telephony import twiml
from telephony.signature import is_signed
from telephony.simulator import Simulator
from telephony.simulator.asgi_server import serve

PUBLIC_BASE_URL = "https://helpline.example.org"
AUTH_TOKEN = "test-auth-token"
HELPLINE = "+14155550100"
CALLER = "+919812345001"
LISTENER = "+919812345002"
OVERFLOW_SECONDS = 120
LANGUAGES = {"1": ("en", "en-IN", "Polly.Raveena"), "2": ("hi", "hi-IN", "Polly.Aditi")}


@dataclass
class Seen:
    """What the test app received, keyed by path."""

    forms: dict[str, list[dict[str, list[str]]]] = field(default_factory=dict)
    unsigned: list[str] = field(default_factory=list)

    def last(self, path: str) -> dict[str, str]:
        return {key: values[-1] for key, values in self.forms[path][-1].items()}


def _xml(body: str) -> Response:
    return Response(body, media_type="application/xml")


def build_app(seen: Seen) -> FastAPI:
    app = FastAPI()

    async def signed_form(request: Request) -> dict[str, str]:
        """Twilio's parameters, after checking the signature against the public URL (403 if wrong)."""
        form = await request.form()
        path = request.url.path
        query = request.url.query
        path_and_query = path + ("?" + query if query else "")
        signature = request.headers.get("X-Twilio-Signature")
        if not is_signed(AUTH_TOKEN, PUBLIC_BASE_URL, path_and_query, form, signature):
            seen.unsigned.append(path)
            raise HTTPException(status_code=403)
        seen.forms.setdefault(path, []).append({k: [str(v) for v in form.getlist(k)] for k in form})
        return {k: str(v) for k, v in form.items()}

    Form = Annotated[dict[str, str], Depends(signed_form)]

    @app.post("/voice/incoming")
    def incoming(form: Form) -> Response:
        menu = twiml.Gather(
            action="/voice/language",
            num_digits=1,
            prompts=(
                twiml.Say("For English press 1.", "en-IN", "Polly.Raveena"),
                twiml.Say("हिंदी के लिए 2 दबाएं।", "hi-IN", "Polly.Aditi"),
            ),
        )
        return _xml(twiml.render_voice(menu, twiml.Redirect("/voice/incoming")))

    @app.post("/voice/language")
    def language(form: Form) -> Response:
        digits = form.get("Digits", "")
        code, _, _ = LANGUAGES.get(str(digits), LANGUAGES["1"])
        return _xml(
            twiml.render_voice(
                twiml.Enqueue(code, wait_url=f"/voice/wait/{code}", action="/voice/queue-exit")
            )
        )

    @app.post("/voice/wait/{code}")
    def wait(code: str, form: Form) -> Response:
        if int(str(form["QueueTime"])) >= OVERFLOW_SECONDS:
            return _xml(twiml.render_voice(twiml.Leave()))
        _, language, voice = next(v for v in LANGUAGES.values() if v[0] == code)
        position = twiml.Say(f"You are number {form['QueuePosition']} in line.", language, voice)
        return _xml(twiml.render_voice(position, twiml.Play("/audio/hold.mp3")))

    @app.post("/voice/queue-exit")
    def queue_exit(form: Form) -> Response:
        result = form.get("QueueResult")
        if result == "leave":
            return _xml(twiml.render_voice(twiml.Say("Everyone is busy. We will call you back.", "en-IN")))
        return _xml(twiml.render_voice(twiml.Say("Thank you for calling.", "en-IN"), twiml.Hangup()))

    @app.post("/voice/listener")
    def listener_whisper(form: Form) -> Response:
        offer = twiml.Gather(
            action="/voice/listener/accept",
            num_digits=1,
            timeout=5,
            prompts=(twiml.Say("A caller is waiting. Press 1 to accept.", "en-IN"),),
        )
        return _xml(twiml.render_voice(offer, twiml.Hangup()))

    @app.post("/voice/listener/accept")
    def listener_accept(form: Form) -> Response:
        if form.get("Digits") != "1":
            return _xml(twiml.render_voice(twiml.Hangup()))
        connect = twiml.Dial(
            targets=(twiml.DialQueue("hi", url="/voice/connecting"),),
            caller_id=HELPLINE,
            action="/voice/listener/done",
            timeout=10,
        )
        return _xml(twiml.render_voice(connect))

    @app.post("/voice/connecting")
    def connecting(form: Form) -> Response:
        return _xml(twiml.render_voice(twiml.Say("Connecting you to a listener now.", "en-IN")))

    @app.post("/voice/listener/done")
    def listener_done(form: Form) -> Response:
        return _xml(twiml.render_voice(twiml.Say("Thank you, the call has ended.", "en-IN")))

    @app.post("/voice/whisper-direct")
    def whisper_direct(form: Form) -> Response:
        return _xml(twiml.render_voice(twiml.Say("Samvaad call. Connecting.", "en-IN")))

    @app.post("/voice/dial-direct")
    def dial_direct(form: Form) -> Response:
        target = twiml.DialNumber(LISTENER, url="/voice/whisper-direct", status_callback="/status")
        dial = twiml.Dial(targets=(target,), caller_id=HELPLINE, action="/voice/dial-done", timeout=15)
        return _xml(twiml.render_voice(dial))

    @app.post("/voice/dial-leaky")
    def dial_leaky(form: Form) -> Response:
        return _xml(twiml.render_voice(twiml.Dial(targets=(twiml.DialNumber(LISTENER),))))

    @app.post("/voice/dial-done")
    def dial_done(form: Form) -> Response:
        return _xml(twiml.render_voice(twiml.Say("The listener has left.", "en-IN")))

    @app.post("/voice/enqueue-offer")
    def enqueue_offer(form: Form) -> Response:
        queue = twiml.Enqueue("offer", wait_url="/voice/wait-offer", action="/voice/queue-exit")
        return _xml(twiml.render_voice(queue))

    @app.post("/voice/wait-offer")
    def wait_offer(form: Form) -> Response:
        offer = twiml.Gather(
            action="/voice/wait-choice",
            num_digits=1,
            timeout=1,
            prompts=(twiml.Say("Press 1 and we will call you back.", "en-IN"),),
        )
        return _xml(twiml.render_voice(offer, twiml.Play("/audio/hold.mp3")))

    @app.post("/voice/wait-choice")
    def wait_choice(form: Form) -> Response:
        if form.get("Digits") == "1":
            return _xml(twiml.render_voice(twiml.Leave()))
        return _xml(twiml.render_voice())

    @app.get("/voice/by-get")
    def by_get(form: Form, request: Request) -> Response:
        caller = request.query_params["From"]
        return _xml(twiml.render_voice(twiml.Say(f"Hello caller ending {caller[-4:]}.", "en-IN")))

    @app.post("/voice/broken")
    def broken(form: Form) -> Response:
        return Response("boom", status_code=500)

    @app.post("/voice/not-twiml")
    def not_twiml(form: Form) -> Response:
        return _xml("<Response><Say>unclosed</Response>")

    @app.post("/voice/fallback")
    def fallback(form: Form) -> Response:
        return _xml(twiml.render_voice(twiml.Say("Sorry. For help now call 14416.", "en-IN")))

    @app.post("/status")
    def status(form: Form) -> Response:
        return Response(status_code=204)

    @app.post("/sms/incoming")
    def sms(form: Form) -> Response:
        body = form.get("Body", "")
        return _xml(twiml.render_messages(twiml.Message(f"We got: {body}. A listener will call you.")))

    return app


@pytest.fixture(scope="session")
def served() -> Iterator[tuple[str, Seen]]:
    """One server for the session (starting uvicorn per test would dominate the run time)."""
    shared = Seen()
    with serve(build_app(shared)) as base_url:
        yield base_url, shared


@pytest.fixture
def seen(served: tuple[str, Seen]) -> Seen:
    shared = served[1]
    shared.forms.clear()
    shared.unsigned.clear()
    return shared


@pytest.fixture
def client(served: tuple[str, Seen], seen: Seen) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served[0]) as http:
        yield http


@pytest.fixture
def sim(client: httpx.Client) -> Iterator[Simulator]:
    with Simulator(client, public_base_url=PUBLIC_BASE_URL, auth_token=AUTH_TOKEN) as simulator:
        simulator.add_number(
            HELPLINE,
            voice_url="/voice/incoming",
            status_callback="/status",
            sms_url="/sms/incoming",
        )
        yield simulator
