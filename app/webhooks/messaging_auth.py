"""The messaging webhook's signature check: X-Twilio-Signature over the public URL, or 403.

The URL is rebuilt from ``SAMVAAD_PUBLIC_BASE_URL`` + the path + the raw query exactly as sent (a proxy
changes the scheme and host the app sees; re-encoding the query breaks the signature).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData

from app.deps import SettingsDep
from telephony.signature import is_signed


async def signed_form(request: Request, settings: SettingsDep) -> FormData:
    """Twilio's parameters, once the signature is checked; a missing or forged one is refused with 403."""
    form = await request.form()
    raw_query = request.scope.get("query_string", b"").decode("latin-1")
    path_and_query = request.url.path + ("?" + raw_query if raw_query else "")
    signature = request.headers.get("X-Twilio-Signature")
    if not is_signed(
        settings.twilio_auth_token or "", settings.public_base_url, path_and_query, form, signature
    ):
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return form


SignedForm = Annotated[FormData, Depends(signed_form)]
