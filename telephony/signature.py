"""Check and make X-Twilio-Signature.

The signed URL is rebuilt from the configured public base URL, never from the request's own URL: behind a
TLS-terminating proxy the app sees `http://internal:8000/...` while Twilio signed `https://public.example/...`.
The query string must be the raw one Twilio sent; re-encoding it breaks the signature.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

from twilio.request_validator import RequestValidator


@runtime_checkable
class MultiValued(Protocol):
    """Starlette's FormData, a multidict: every value of a repeated name, not just the last."""

    def getlist(self, key: Any) -> list[Any]: ...

    def keys(self) -> Any: ...


Params = Mapping[str, Any] | MultiValued | Iterable[tuple[str, Any]]


class _ParamList:
    """Repeated names kept, in the shape RequestValidator reads (`getlist`)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self._values.setdefault(name, []).append(value)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def getlist(self, name: str) -> list[str]:
        return self._values[name]


def _as_param_list(params: Params) -> _ParamList:
    if isinstance(params, list):  # the webhooks' raw form pairs: first, as isinstance on a Protocol is slow
        return _ParamList(params)
    if isinstance(params, MultiValued):
        return _ParamList((str(k), str(v)) for k in set(params.keys()) for v in params.getlist(k))
    if isinstance(params, Mapping):
        return _ParamList((str(k), str(v)) for k, v in params.items())
    return _ParamList(params)


def public_url(public_base_url: str, path_and_query: str) -> str:
    """The URL Twilio requested: public base (scheme and host, maybe a prefix) + path + raw query."""
    return public_base_url.rstrip("/") + "/" + path_and_query.lstrip("/")


def is_signed(
    auth_token: str,
    public_base_url: str,
    path_and_query: str,
    form: Params,
    signature: str | None,
) -> bool:
    """True if `signature` is Twilio's for this request. A missing header is simply unsigned."""
    if not signature:
        return False
    url = public_url(public_base_url, path_and_query)
    validator, params = RequestValidator(auth_token), _as_param_list(form)
    # The library's own signing of the URL as configured settles a genuine request with one HMAC; only a
    # mismatch goes on to `validate`, which tries the URL with and without its port (two more).
    if hmac.compare_digest(validator.compute_signature(url, params).encode(), signature.encode()):
        return True
    return bool(validator.validate(url, params, signature))


def sign(auth_token: str, url: str, params: Params) -> str:
    """The X-Twilio-Signature Twilio would send for a POST of `params` to `url` (full URL, raw query)."""
    return str(RequestValidator(auth_token).compute_signature(url, _as_param_list(params)))
