"""/metrics, scraped as Prometheus would while calls go through the simulator: the line's queue, offers and
outcomes per language, the webhooks' latency per route, and never a number or a hash in a label."""

from __future__ import annotations

import re
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from routing.engine.live import LiveState
from schemas.tables import Proficiency
from tests.voice.conftest import HELPLINE, VoiceHelpline

HI = {"hi": Proficiency.native}
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(base_url: str) -> tuple[Samples, str]:
    response = httpx.get(f"{base_url}/metrics", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):  # the format Prometheus parses
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples, response.text


def value(samples: Samples, name: str, **labels: Any) -> float:
    """The sample with exactly these labels; 0 when absent (a counter not yet counted)."""
    return samples.get((name, frozenset((k, str(v)) for k, v in labels.items())), 0.0)


def waiting_calls(voice: VoiceHelpline) -> int:
    live = LiveState(voice.services.redis)
    return len([c for c in live.waiting(voice.association_id) if c.kind == "voice"])


def test_a_scrape_shows_the_queue_the_offers_and_the_outcomes_per_language(
    voice: VoiceHelpline, live_app: tuple[str, Any]
) -> None:
    base_url, _ = live_app
    sim, line = voice.sim, str(voice.association_id)
    asha = voice.listener("Asha", HI)
    asha.respond(".", press="1")
    first = voice.caller("first", "+919800000031")
    first.respond("ओड़िया", press="1")
    first.call(HELPLINE)
    sim.run_until(lambda: first.is_bridged)

    second = voice.caller("second", "+919800000032")
    second.respond("ओड़िया", press="1")
    waiting_call = second.call(HELPLINE)
    sim.run_until(lambda: waiting_calls(voice) == 1)
    sim.advance(40)
    during, _ = scrape(base_url)

    assert value(during, "samvaad_contacts_waiting", association=line, language="hi", kind="voice") == 1
    assert value(during, "samvaad_longest_wait_seconds", association=line, language="hi") >= 40
    assert value(during, "samvaad_listeners", association=line, language="hi", state="busy") == 1
    offers = {"association": line, "language": "hi", "kind": "voice"}
    assert value(during, "samvaad_offers_total", **offers, outcome="made") == 1
    assert value(during, "samvaad_offers_total", **offers, outcome="accepted") == 1
    assert value(during, "samvaad_contacts_total", **offers, outcome="answered") == 1

    second.hang_up()
    sim.run_until(lambda: waiting_call.is_over)
    after, text = scrape(base_url)

    assert value(after, "samvaad_contacts_waiting", association=line, language="hi", kind="voice") == 0
    assert value(after, "samvaad_contacts_total", **offers, outcome="abandoned") == 1
    assert value(after, "samvaad_offers_total", **offers, outcome="made") == 1  # nobody offered the second
    incoming = {"route": "/twilio/voice/incoming", "method": "POST", "status": "2xx"}
    assert value(after, "samvaad_request_duration_seconds_count", **incoming) >= 2
    assert value(after, "samvaad_dependency_up", dependency="redis") == 1
    assert value(after, "samvaad_dependency_up", dependency="database") == 1
    labels = set(re.findall(r'="([^"]*)"', text))
    numbers = {first.number, second.number, asha.number, HELPLINE}
    assert not {label for label in labels if any(n.lstrip("+") in label for n in numbers)}
    assert not [label for label in labels if re.search(r"\d{7,}|[0-9a-f]{16,}", label)]  # no number, no hash
    sim.assert_no_errors()


def test_redelivered_hang_up_webhooks_count_one_abandoned_call(
    voice: VoiceHelpline, live_app: tuple[str, Any]
) -> None:
    """Counts follow the database's transitions, so webhooks delivered again count nothing more."""
    base_url, _ = live_app
    sim, line = voice.sim, str(voice.association_id)
    caller = voice.caller("alone", "+919800000033")
    caller.respond("ओड़िया", press="1")
    call = caller.call(HELPLINE)
    sim.run_until(lambda: waiting_calls(voice) == 1)
    caller.hang_up()
    sim.run_until(lambda: call.is_over)
    endings = [
        r for r in sim.requests if r.param("CallSid") == call.sid and r.path.endswith(("status", "exit"))
    ]
    assert endings
    for request in endings * 2:  # each twice more, as Twilio retries a webhook
        assert sim.driver.send(request.url, request.params).status in (200, 204)

    samples, _ = scrape(base_url)

    hindi = {"association": line, "language": "hi", "kind": "voice"}
    assert value(samples, "samvaad_contacts_total", **hindi, outcome="abandoned") == 1
    assert value(samples, "samvaad_contacts_total", **hindi, outcome="answered") == 0
