"""Forms validate exactly like the API: the same pydantic models and the same routing checks, and their
refusals become messages shown beside the field they are about."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from routing.errors import ConflictError, InvalidConfigurationError

M = TypeVar("M", bound=BaseModel)


class FormErrors(Exception):
    """What to show beside each field (``field name -> message``); ``_`` is about the whole form."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("form refused")
        self.errors = errors


def parse(model: type[M], data: dict[str, Any]) -> M:
    """The API's request model from form values, or FormErrors with pydantic's messages by field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ())) or "_"
            errors.setdefault(where, str(error.get("msg", "")).removeprefix("Value error, "))
        raise FormErrors(errors) from exc


def attempt(change: Callable[[], Any]) -> Any:
    """Run a routing change; its refusals become FormErrors on the field routing names."""
    try:
        return change()
    except InvalidConfigurationError as exc:
        raise FormErrors({str(exc.details.get("field") or "_"): str(exc)}) from exc
    except ConflictError as exc:
        raise FormErrors({"_": str(exc)}) from exc
