"""The URLs an association pastes into its Exotel flow. Each carries the account's secret token: Exotel
signs no request, so the token (over HTTPS) is what tells its requests from forged ones."""

from __future__ import annotations

APPLETS = {
    "passthru_incoming": "incoming",
    "gather_menu": "menu-prompt",
    "passthru_menu": "menu",
    "greeting": "greeting",
    "connect_listener": "connect",
    "passthru_unanswered": "unanswered",
    "connect_transfer": "transfer",
    "status_callback": "status",
}


def base_path(token: str) -> str:
    return f"/exotel/{token}/voice"


def webhook_urls(public_base_url: str, token: str) -> dict[str, str]:
    base = public_base_url.rstrip("/") + base_path(token)
    return {applet: f"{base}/{path}" for applet, path in APPLETS.items()}
