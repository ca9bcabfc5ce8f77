"""Shapes of the data-protection API: a person's request about their data, given their number, and what was
found and removed. The number travels in a POST body only (never in a URL, where logs would keep it)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, StringConstraints

from schemas.api import Request, refuse_unstorable

NumberText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=32),
    AfterValidator(refuse_unstorable),
]


class PersonRequest(Request):
    number: NumberText


class ErasureRead(BaseModel):
    association_id: int
    found: dict[str, int]
    removed: dict[str, int]
    listener_ids: list[int]
