"""Where a roster message goes when it cannot go to a provider: with no provider account (the embedded
default of `scripts/run`) it is written to the log, the number masked, and counts as sent; with one, a
provider that fails is one line in the log (no traceback) and RQ's retry sends it later, once."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from schemas.settings import TWILIO_API, Environment
from schemas.tables import AuditEntry, RosterNotice
from tests.roster.conftest import TOMORROW, Roster, roster_messages

REMINDED = TOMORROW - timedelta(hours=24)
NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing listens, the connection is refused


def warnings_and_worse(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_with_no_provider_account_a_reminder_is_logged_masked_and_counts_as_sent(
    roster: Roster, caplog: pytest.LogCaptureFixture
) -> None:
    services = roster.line.services
    services.settings = services.settings.model_copy(update={"twilio_api_base_url": TWILIO_API})
    assert services.settings.logs_roster_messages  # the placeholder account, on Twilio's own API
    phone, _ = roster.listener("Meena", ("ta",), prompt_language="ta")
    with caplog.at_level(logging.INFO):
        roster.jump(REMINDED)

    [line] = warnings_and_worse(caplog)
    text = line.getMessage()
    assert "…" + phone.number[-4:] in text and phone.number not in text and phone.number[3:] not in text
    assert "நினைவூட்டல்" in text and "not sent" in text and line.exc_info is None
    assert "Traceback" not in caplog.text
    assert len(roster.line.rows(RosterNotice, kind="reminder")) == 1  # counted as sent: planned no more
    assert len(roster.line.rows(AuditEntry, action="remind")) == 1
    assert roster_messages(phone) == [] and roster.line.sim.rest_requests == []
    caplog.clear()
    roster.run_until(REMINDED + timedelta(minutes=3))
    assert warnings_and_worse(caplog) == []  # once


@pytest.mark.parametrize("failure", ["the simulator refuses", "nothing at the base URL"])
def test_a_provider_failure_is_one_line_in_the_log_and_rqs_retry_sends_it_once(
    roster: Roster, caplog: pytest.LogCaptureFixture, failure: str
) -> None:
    services = roster.line.services
    working = services.settings.model_copy(update={"env": Environment.production})
    assert not working.logs_roster_messages
    if failure == "the simulator refuses":
        roster.line.sim.fail_next_rest_request("/Messages.json")  # Twilio's 503
        services.settings = working
    else:
        services.settings = working.model_copy(update={"twilio_api_base_url": NOWHERE})
    phone, _ = roster.listener("Ravi", ("hi",))
    with caplog.at_level(logging.INFO):
        roster.jump(REMINDED)

    [line] = warnings_and_worse(caplog)
    status = "status=503 code=20503" if failure == "the simulator refuses" else "status=0 code=None"
    assert (
        line.getMessage().startswith("job failed: provider error job_id=reminder-")
        and status in line.getMessage()
    )
    assert line.exc_info is None and "Traceback" not in caplog.text
    assert phone.number not in caplog.text and phone.number[3:] not in caplog.text
    assert roster_messages(phone) == [] and roster.line.rows(RosterNotice) == []  # the claim rolled back

    services.settings = working  # the provider is back
    roster.run_until(REMINDED + timedelta(seconds=30))  # RQ's retry, 10 s later
    assert len(roster_messages(phone)) == 1 and len(roster.line.rows(RosterNotice)) == 1
    roster.run_until(REMINDED + timedelta(minutes=3))
    assert len(roster_messages(phone)) == 1
