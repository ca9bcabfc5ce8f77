"""SMS and WhatsApp: messages from phones to Samvaad's messaging webhook, replies, and REST-sent messages.

Inbound messages are posted (signed) to the number's SMS URL and the MessagingResponse is read like Twilio
reads it: each <Message> is one reply. Every message that reaches a phone lands in its inbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element

from telephony.simulator.documents import MESSAGING_VERBS, DocumentError, text_of
from telephony.simulator.model import API_VERSION, TwilioNumber, country_of

if TYPE_CHECKING:
    from telephony.simulator.core import Simulator
    from telephony.simulator.phones import Phone

WHATSAPP = "whatsapp:"


@dataclass(frozen=True)
class QuickReply:
    """One button of a ``twilio/quick-reply`` content template: what it says and the id it answers with."""

    title: str
    payload: str


@dataclass(frozen=True)
class ContentTemplate:
    """A content template on the account: a body with ``{{1}}``… and its quick-reply buttons."""

    body: str
    buttons: tuple[QuickReply, ...] = ()

    @classmethod
    def from_definition(cls, definition: dict[str, Any]) -> ContentTemplate:
        """The template a Content API create request (``twilio/quick-reply``) makes."""
        reply = definition["types"]["twilio/quick-reply"]
        return cls(reply["body"], tuple(QuickReply(a["title"], a["id"]) for a in reply["actions"]))

    def render(self, variables: dict[str, str]) -> str:
        body = self.body
        for name, value in variables.items():
            body = body.replace("{{" + name + "}}", value)
        return body


@dataclass
class SimMessage:
    sid: str
    from_: str
    to: str
    body: str
    direction: str  # inbound, outbound-reply, outbound-api
    at: float
    media_urls: list[str] = field(default_factory=list)
    status: str = "delivered"
    status_callback: str | None = None
    content_sid: str | None = None
    buttons: list[QuickReply] = field(default_factory=list)  # a content template's quick replies

    @property
    def channel(self) -> str:
        return "whatsapp" if self.to.startswith(WHATSAPP) else "sms"


class Messaging:
    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self.messages: list[SimMessage] = []
        self.templates: dict[str, ContentTemplate] = {}
        self._deliveries: dict[str, tuple[TwilioNumber, list[tuple[str, str]]]] = {}

    def sent_to(self, address: str) -> list[SimMessage]:
        """Messages our account sent to `address` (a number, or whatsapp:+...), by TwiML reply or REST."""
        return [m for m in self.messages if m.direction != "inbound" and m.to == address]

    def add_template(self, sid: str, template: ContentTemplate) -> None:
        self.templates[sid] = template

    def tap(self, phone: Phone, message: SimMessage, title: str) -> list[SimMessage]:
        """The phone taps a quick reply of a template message it got: WhatsApp sends the button's title as
        the body, and Twilio adds ``ButtonText`` and ``ButtonPayload``."""
        button = next(b for b in message.buttons if b.title == title)
        extra = [("ButtonText", button.title), ("ButtonPayload", button.payload),
                 ("OriginalRepliedMessageSid", message.sid), ("MessageType", "button")]  # fmt: skip
        return self.receive(phone, message.from_, button.title, whatsapp=True, extra=extra)

    def receive(
        self,
        phone: Phone,
        to: str,
        body: str,
        *,
        whatsapp: bool = False,
        extra: list[tuple[str, str]] | None = None,
    ) -> list[SimMessage]:
        """A phone texts one of our numbers; returns Samvaad's replies (also put in the phone's inbox)."""
        sim = self._sim
        number = sim.numbers.get(to.removeprefix(WHATSAPP))
        if number is None or not number.sms_url:
            raise ValueError("that number is not on the simulated account or has no SMS URL")
        prefix = WHATSAPP if whatsapp else ""
        message = SimMessage(
            sim.sids.new("SM"),
            prefix + phone.number,
            prefix + number.number,
            body,
            "inbound",
            sim.clock.seconds,
        )
        self.messages.append(message)
        params = self._inbound_params(message, phone) + (extra or [])
        self._deliveries[message.sid] = (number, params)
        return self._post(message, number, params)

    def redeliver(self, message_sid: str) -> list[SimMessage]:
        """Deliver an inbound message's webhook again, same MessageSid and all, as Twilio does when it did
        not get an answer in time; returns the replies of this delivery."""
        number, params = self._deliveries[message_sid]
        message = next(m for m in self.messages if m.sid == message_sid)
        return self._post(message, number, params)

    def _post(
        self, message: SimMessage, number: TwilioNumber, params: list[tuple[str, str]]
    ) -> list[SimMessage]:
        sim = self._sim
        try:
            document = sim.driver.fetch(
                sim.absolute(number.sms_url), params, number.sms_method, MESSAGING_VERBS
            )
        except DocumentError as error:
            sim.record_error(message.sid, error)
            if not number.sms_fallback_url:
                return []  # Twilio only logs it: the texter gets no reply
            failure = [("ErrorCode", str(error.code)), ("ErrorUrl", error.url)]
            try:
                document = sim.driver.fetch(
                    sim.absolute(number.sms_fallback_url), params + failure, "POST", MESSAGING_VERBS
                )
            except DocumentError as again:
                sim.record_error(message.sid, again)
                return []
        return [
            self._deliver_reply(message, element) for element in document.verbs if element.tag == "Message"
        ]

    def _inbound_params(self, message: SimMessage, phone: Phone) -> list[tuple[str, str]]:
        params = [
            ("ToCountry", country_of(message.to)),
            ("ToState", ""),
            ("SmsMessageSid", message.sid),
            ("NumMedia", "0"),
            ("ToCity", ""),
            ("FromZip", ""),
            ("SmsSid", message.sid),
            ("FromState", ""),
            ("SmsStatus", "received"),
            ("FromCity", ""),
            ("Body", message.body),
            ("FromCountry", country_of(message.from_)),
            ("To", message.to),
            ("MessageSid", message.sid),
            ("AccountSid", self._sim.account_sid),
            ("From", message.from_),
            ("ApiVersion", API_VERSION),
            ("NumSegments", "1"),
            ("ToZip", ""),
        ]
        if message.from_.startswith(WHATSAPP):
            params += [("ProfileName", phone.name), ("WaId", phone.number.lstrip("+"))]
        return params

    def _deliver_reply(self, inbound: SimMessage, element: Element) -> SimMessage:
        body_element = element.find("Body")
        body = text_of(body_element) if body_element is not None else (element.text or "").strip()
        media = [text_of(m) for m in element.findall("Media")]
        reply = SimMessage(
            self._sim.sids.new("SM"),
            element.get("from") or inbound.to,
            element.get("to") or inbound.from_,
            body,
            "outbound-reply",
            self._sim.clock.seconds,
            media,
        )
        self._hand_over(reply)
        return reply

    def _hand_over(self, message: SimMessage) -> None:
        self.messages.append(message)
        phone = self._sim.phonebook.get(message.to)
        if phone is not None:
            phone.inbox.append(message)

    def send(
        self,
        from_: str,
        to: str,
        body: str,
        media: list[str],
        status_callback: str | None,
        content: tuple[str, ContentTemplate, dict[str, str]] | None = None,
    ) -> SimMessage:
        """Messages.json: accepted as queued; delivered (and its status callbacks sent) by the scheduler. A
        content template's body is rendered as the phone shows it, with its buttons."""
        sim = self._sim
        message = SimMessage(
            sim.sids.new("SM"),
            from_,
            to,
            body,
            "outbound-api",
            sim.clock.seconds,
            media,
            status="queued",
            status_callback=status_callback,
        )
        if content is not None:
            sid, template, variables = content
            message.body, message.content_sid = template.render(variables), sid
            message.buttons = list(template.buttons)
        with sim.lock:
            self.messages.append(message)
            sim.scheduler.call_later(1.0, lambda: self._progress(message, "sent"))
            sim.scheduler.call_later(2.0, lambda: self._progress(message, "delivered"))
        return message

    def _progress(self, message: SimMessage, status: str) -> None:
        message.status = status
        if status == "delivered":
            phone = self._sim.phonebook.get(message.to)
            if phone is not None:
                phone.inbox.append(message)
        if message.status_callback:
            params = [
                ("AccountSid", self._sim.account_sid),
                ("ApiVersion", API_VERSION),
                ("MessageSid", message.sid),
                ("SmsSid", message.sid),
                ("MessageStatus", status),
                ("SmsStatus", status),
                ("From", message.from_),
                ("To", message.to),
            ]
            self._sim.notify(message.status_callback, params, "POST", message.sid)
