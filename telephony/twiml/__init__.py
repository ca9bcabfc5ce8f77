"""TwiML, built from small frozen descriptions of what a call or a message should do next.

The call flow describes the next step as a sequence of verbs (`Say`, `Gather`, `Enqueue`, ...) and renders it
with `render_voice`; twilio's VoiceResponse does the XML, so escaping and attribute names (numDigits,
actionOnEmptyResult) are Twilio's own. Every webhook answer goes through here, so it is always valid TwiML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Dial as TwilioDial
from twilio.twiml.voice_response import Gather as TwilioGather
from twilio.twiml.voice_response import VoiceResponse

TWIML_MEDIA_TYPE = "application/xml"


@dataclass(frozen=True)
class Say:
    """Speech. Set an explicit voice for Indic text: Twilio's basic voices cannot speak it."""

    text: str
    language: str
    voice: str | None = None
    loop: int | None = None


@dataclass(frozen=True)
class Play:
    url: str
    loop: int | None = None


@dataclass(frozen=True)
class Pause:
    seconds: int = 1


Prompt = Say | Play | Pause


@dataclass(frozen=True)
class Gather:
    """Collect keypresses. Without `action` Twilio posts back to the current document (a loop)."""

    action: str
    prompts: Sequence[Prompt] = ()
    num_digits: int | None = None
    timeout: int = 5
    finish_on_key: str | None = None
    action_on_empty_result: bool = False


@dataclass(frozen=True)
class Enqueue:
    queue: str
    wait_url: str | None = None
    action: str | None = None
    max_queue_size: int | None = None


@dataclass(frozen=True)
class Leave:
    pass


@dataclass(frozen=True)
class DialNumber:
    """A number to ring. `url` runs on the callee before bridging (the whisper: "press 1 to accept")."""

    number: str
    url: str | None = None
    status_callback: str | None = None
    status_callback_event: Sequence[str] = ()


@dataclass(frozen=True)
class DialQueue:
    """Bridge to the front caller of a queue. `url` runs on that caller just before the bridge."""

    queue: str
    url: str | None = None


@dataclass(frozen=True)
class Dial:
    """Connect to numbers (rung together, first to answer wins) or to a queue's front caller.

    Set `caller_id`: without it the callee sees the caller's own number.
    """

    targets: Sequence[DialNumber | DialQueue]
    caller_id: str | None = None
    action: str | None = None
    timeout: int | None = None
    time_limit: int | None = None


@dataclass(frozen=True)
class Redirect:
    url: str


@dataclass(frozen=True)
class Hangup:
    pass


@dataclass(frozen=True)
class Reject:
    reason: str = "rejected"


VoiceVerb = Say | Play | Pause | Gather | Enqueue | Leave | Dial | Redirect | Hangup | Reject


@dataclass(frozen=True)
class Message:
    body: str
    to: str | None = None
    media_urls: Sequence[str] = field(default_factory=tuple)


def _add_prompt(target: VoiceResponse | TwilioGather, prompt: Prompt) -> None:
    if isinstance(prompt, Say):
        target.say(prompt.text, voice=prompt.voice, language=prompt.language, loop=prompt.loop)
    elif isinstance(prompt, Play):
        target.play(prompt.url, loop=prompt.loop)
    else:
        target.pause(length=prompt.seconds)


def _add_gather(response: VoiceResponse, verb: Gather) -> None:
    gather = response.gather(
        input="dtmf",
        action=verb.action,
        method="POST",
        num_digits=verb.num_digits,
        timeout=verb.timeout,
        finish_on_key=verb.finish_on_key,
        action_on_empty_result=verb.action_on_empty_result or None,
    )
    for prompt in verb.prompts:
        _add_prompt(gather, prompt)


def _add_dial_target(dial: TwilioDial, target: DialNumber | DialQueue) -> None:
    if isinstance(target, DialQueue):
        dial.queue(target.queue, url=target.url, method="POST" if target.url else None)
        return
    events = " ".join(target.status_callback_event) or None
    dial.number(
        target.number,
        url=target.url,
        method="POST" if target.url else None,
        status_callback=target.status_callback,
        status_callback_event=events if target.status_callback else None,
        status_callback_method="POST" if target.status_callback else None,
    )


def _add_dial(response: VoiceResponse, verb: Dial) -> None:
    dial = response.dial(
        caller_id=verb.caller_id,
        action=verb.action,
        method="POST" if verb.action else None,
        timeout=verb.timeout,
        time_limit=verb.time_limit,
    )
    for target in verb.targets:
        _add_dial_target(dial, target)


def _add_verb(response: VoiceResponse, verb: VoiceVerb) -> None:
    if isinstance(verb, Say | Play | Pause):
        _add_prompt(response, verb)
    elif isinstance(verb, Gather):
        _add_gather(response, verb)
    elif isinstance(verb, Enqueue):
        response.enqueue(
            verb.queue,
            action=verb.action,
            method="POST" if verb.action else None,
            wait_url=verb.wait_url,
            wait_url_method="POST" if verb.wait_url else None,
            max_queue_size=verb.max_queue_size,
        )
    elif isinstance(verb, Leave):
        response.leave()
    elif isinstance(verb, Dial):
        _add_dial(response, verb)
    elif isinstance(verb, Redirect):
        response.redirect(verb.url, method="POST")
    elif isinstance(verb, Hangup):
        response.hangup()
    else:
        response.reject(reason=verb.reason)


def render_voice(*verbs: VoiceVerb) -> str:
    """A voice TwiML document running `verbs` in order. No verbs: Twilio ends the call (or acknowledges)."""
    response = VoiceResponse()
    for verb in verbs:
        _add_verb(response, verb)
    return str(response.to_xml())


def render_messages(*messages: Message) -> str:
    """A messaging TwiML document: one reply per message; none means no reply."""
    response = MessagingResponse()
    for message in messages:
        reply = response.message(to=message.to)
        reply.body(message.body)
        for url in message.media_urls:
            reply.media(url)
    return str(response.to_xml())
