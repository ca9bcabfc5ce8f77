"""Reading a person's record is audited, not only changing it: who viewed a listener's details, and when."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_viewing_listeners_is_in_the_audit_log_with_who_and_which(
    client: TestClient, association: dict[str, Any], admin: dict[str, str]
) -> None:
    base = f"/api/v1/associations/{association['id']}"
    listener = client.post(
        f"{base}/listeners", json={"name": "Dr. Asha", "phone": "+919845012345", "languages": [{"code": "hi"}]},
        headers=admin,
    ).json()  # fmt: skip

    assert client.get(f"{base}/listeners/{listener['id']}", headers=admin).status_code == 200
    assert client.get(f"{base}/listeners", headers=admin).status_code == 200

    entries = client.get(f"{base}/audit", headers=admin).json()["items"]
    views = [(e["action"], e["entity"], e["entity_id"], e["actor"]) for e in entries if e["action"] == "view"]
    assert [v[:3] for v in views] == [("view", "listeners", "all"), ("view", "listener", str(listener["id"]))]
    assert all("coordinator desk" in v[3] for v in views)
