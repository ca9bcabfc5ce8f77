"""TwiML documents as Twilio reads them: strictly, with Twilio's error codes when they are not valid."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

VOICE_VERBS = frozenset(
    {"Say", "Play", "Pause", "Gather", "Redirect", "Hangup", "Reject", "Enqueue", "Leave", "Dial"}
)
UNSIMULATED_VOICE_VERBS = frozenset(
    {"Record", "Connect", "Start", "Stop", "Refer", "Pay", "Prompt", "Sms", "Echo", "Siprec", "Stream"}
)
MESSAGING_VERBS = frozenset({"Message", "Redirect"})
TWIML_MEDIA_TYPES = ("text/xml", "application/xml", "text/html", "text/plain")
MAX_TWIML_BYTES = 64 * 1024

HTTP_RETRIEVAL_FAILURE = 11200
HTTP_CONNECTION_FAILURE = 11205
DOCUMENT_TOO_LARGE = 11750
DOCUMENT_PARSE_FAILURE = 12100
INVALID_CONTENT_TYPE = 12300


class DocumentError(Exception):
    """Twilio could not get or read TwiML: `code` is what its debugger would show."""

    def __init__(self, code: int, url: str, detail: str) -> None:
        self.code = code
        self.url = url
        self.detail = detail
        super().__init__(f"{code} {url}: {detail}")


@dataclass(frozen=True)
class Document:
    url: str
    verbs: tuple[ET.Element, ...]


def parse_twiml(url: str, body: bytes, content_type: str, allowed: frozenset[str]) -> Document:
    """The verbs of a TwiML document, or DocumentError with the code Twilio would report."""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in TWIML_MEDIA_TYPES:
        raise DocumentError(INVALID_CONTENT_TYPE, url, f"content type {media_type or 'missing'}")
    if len(body) > MAX_TWIML_BYTES:
        raise DocumentError(DOCUMENT_TOO_LARGE, url, f"{len(body)} bytes")
    if not body.strip():
        raise DocumentError(HTTP_RETRIEVAL_FAILURE, url, "empty response")
    text = body.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith("<?xml") and not text.startswith("<?xml"):
        raise DocumentError(DOCUMENT_PARSE_FAILURE, url, "characters before the XML declaration")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise DocumentError(DOCUMENT_PARSE_FAILURE, url, f"not well-formed XML: {exc}") from exc
    if root.tag != "Response":
        raise DocumentError(DOCUMENT_PARSE_FAILURE, url, f"root element is <{root.tag}>, not <Response>")
    for verb in root:
        if verb.tag not in allowed and verb.tag not in UNSIMULATED_VOICE_VERBS:
            raise DocumentError(DOCUMENT_PARSE_FAILURE, url, f"<{verb.tag}> is not a TwiML verb here")
    return Document(url=url, verbs=tuple(root))


def text_of(element: ET.Element) -> str:
    """An element's text including SSML children, as the listener hears it."""
    return " ".join("".join(element.itertext()).split())
