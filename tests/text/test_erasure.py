"""A person asks to be forgotten: given their number, every trace of them in the association is found through
the keyed hash, exported as JSON, then removed, and the answer says what was removed; nobody else's data
moves, and the audit log records the request without the number."""

from __future__ import annotations

from sqlmodel import SQLModel

from app.cli import make_api_key
from schemas.tables import AuditEntry, CallerProfile, Contact, Conversation, Role, TextMessage
from tests.text.conftest import TextHelpline

TAMIL = "எனக்கு யாரிடமாவது பேச வேண்டும், மிகவும் சோர்வாக இருக்கிறேன்"


def admin(helpline: TextHelpline) -> dict[str, str]:
    key = make_api_key(
        helpline.services.engine, role=Role.admin, name="dpo", association_id=helpline.association_id
    )
    return {"Authorization": f"Bearer {key}"}


def counts(helpline: TextHelpline) -> dict[str, int]:
    tables: list[type[SQLModel]] = [Contact, Conversation, TextMessage, CallerProfile]
    return {table.__name__: len(helpline.rows(table)) for table in tables}


def test_a_caller_is_exported_then_erased_and_nobody_else_is_touched(helpline: TextHelpline) -> None:
    forgotten, other = helpline.caller("forgotten"), helpline.caller("other")
    helpline.text(forgotten, TAMIL)
    helpline.text(forgotten, "END")
    helpline.text(other, TAMIL)
    before = counts(helpline)
    base = f"/api/v1/associations/{helpline.association_id}/privacy"
    headers = admin(helpline)

    exported = helpline.http.post(f"{base}/export", json={"number": forgotten.number}, headers=headers)
    erased = helpline.http.post(f"{base}/erasure", json={"number": forgotten.number}, headers=headers)
    again = helpline.http.post(f"{base}/erasure", json={"number": forgotten.number}, headers=headers)

    assert exported.status_code == 200, exported.text
    data = exported.json()
    assert (len(data["contacts"]), len(data["conversations"]), len(data["caller_profiles"])) == (1, 1, 1)
    assert len(data["text_messages"]) == 1 and data["caller_profiles"][0]["language"] == "ta"
    assert "caller_hash" not in exported.text and forgotten.number not in exported.text
    assert erased.status_code == 200, erased.text
    removed = erased.json()["removed"]
    assert erased.json()["found"] == removed
    assert (removed["contacts"], removed["conversations"], removed["text_messages"], removed["caller_profiles"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert counts(helpline) == {name: count - 1 for name, count in before.items()}
    assert sum(again.json()["removed"].values()) == 0
    entries = [e for e in helpline.rows(AuditEntry) if e.action in ("erase", "export")]
    assert [e.action for e in entries] == ["export", "erase", "erase"]
    assert forgotten.number[-10:] not in str([e.changes for e in entries])


def test_erasure_waits_for_a_conversation_in_progress_and_refuses_a_bad_number(
    helpline: TextHelpline,
) -> None:
    caller = helpline.caller()
    helpline.text(caller, TAMIL)
    base = f"/api/v1/associations/{helpline.association_id}/privacy"
    headers = admin(helpline)

    busy = helpline.http.post(f"{base}/erasure", json={"number": caller.number}, headers=headers)
    bad = helpline.http.post(f"{base}/erasure", json={"number": "not a number"}, headers=headers)

    assert busy.status_code == 409 and "in progress" in busy.json()["detail"]
    assert bad.status_code == 422
    assert len(helpline.rows(Contact)) == 1
