"""The dry run says which step applies and who would be offered next, with reasons, and no phone numbers."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from routing import engine
from routing.engine.preview import preview
from schemas.tables import Proficiency
from tests.routing.conftest import Helpline

N, F, C = Proficiency.native, Proficiency.fluent, Proficiency.conversational


def test_preview_names_the_step_the_next_listener_and_why_others_are_left_out(helpline: Helpline) -> None:
    helpline.policy(
        "mr",
        [
            {"kind": "listeners", "languages": ["mr"], "min_proficiency": "fluent", "seconds": 120},
            {"kind": "listeners", "languages": ["mr", "hi"], "min_proficiency": "fluent", "seconds": 180},
            {"kind": "callback"},
        ],
    )
    longest = helpline.listener("Asha", {"mr": N})
    helpline.at(10)
    later = helpline.listener("Bhavna", {"mr": F, "hi": N})
    helpline.listener("Chitra", {"mr": C})
    helpline.listener("Deepak", {"mr": N}, verified=False)
    helpline.listener("Esha", {"mr": N}, trained_until=date(2026, 1, 1))
    helpline.listener("Farhan", {"mr": N}, on_shift=False)
    paused = helpline.listener("Gauri", {"mr": N})
    helpline.sync()
    engine.pause_listener(helpline.session, helpline.live, paused, helpline.now)
    helpline.at(30)

    seen = preview(helpline.session, helpline.live, helpline.association_id, "mr", helpline.now)
    assert (seen.step_for_new_contact.index, seen.step_for_new_contact.pools) == (0, ["mr:fluent"])
    assert seen.next_listener is not None and seen.next_listener.listener_id == longest
    assert [c.listener_id for c in seen.candidates] == [longest, later]
    reasons = {e.name: e.reason for e in seen.excluded}
    assert reasons == {
        "Chitra": "does not speak what this step needs (mr:fluent)",
        "Deepak": "registration unverified",
        "Esha": "training lapsed",
        "Farhan": "off shift",
        "Gauri": "paused (listener)",
    }
    assert "+91" not in json.dumps(asdict(seen))

    helpline.call("mr")
    helpline.at(130)  # the waiting caller is now at step 2: Marathi or Hindi
    seen = preview(helpline.session, helpline.live, helpline.association_id, "mr", helpline.now)
    assert seen.waiting == 1 and seen.step_for_longest_waiting is not None
    assert seen.step_for_longest_waiting.index == 1
    assert seen.step_for_longest_waiting.pools == ["mr:fluent", "hi:fluent"]


def test_preview_says_plainly_when_no_step_goes_to_another_language(helpline: Helpline) -> None:
    """Issue 16: an idle English listener sat free while a Tamil caller waited; the default policy has no
    step to another language, and the dry run says so instead of leaving a coordinator to guess."""
    helpline.listener("Asha", {"en": N})
    helpline.sync()

    seen = preview(helpline.session, helpline.live, helpline.association_id, "ta", helpline.now)
    assert seen.fallback_languages == []
    assert seen.fallback_note.startswith("no step to another language: the default policy")

    helpline.policy(
        "ta",
        [
            {"kind": "listeners", "languages": ["ta"], "seconds": 60},
            {"kind": "listeners", "languages": ["ta", "en"], "seconds": 60},
            {"kind": "callback"},
        ],
    )
    seen = preview(helpline.session, helpline.live, helpline.association_id, "ta", helpline.now)
    assert seen.fallback_languages == ["en"]
    assert "en" in seen.fallback_note
