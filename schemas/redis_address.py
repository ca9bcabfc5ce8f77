"""Where Redis is: one server's URL, or a ``redis+sentinel://`` URL naming Sentinels and the primary's name.

Parsed here, beside the settings, so that a mistyped URL stops the process at start with a message naming
the setting instead of failing on the first call.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SENTINEL_SCHEME = "redis+sentinel"


@dataclass(frozen=True)
class SentinelAddress:
    """``redis+sentinel://[:password@]host:port[,host:port...]/master_name[/db]``."""

    sentinels: tuple[tuple[str, int], ...]
    master_name: str
    db: int
    password: str | None


def parse_sentinel_url(url: str) -> SentinelAddress:
    """The sentinels, master name, database and password of a Sentinel URL; ValueError names what is wrong."""
    parts = urlsplit(url)
    if parts.scheme != SENTINEL_SCHEME:
        raise ValueError(f"not a {SENTINEL_SCHEME}:// URL")
    credentials, _, hosts = parts.netloc.rpartition("@")
    sentinels = tuple(_host_port(item) for item in hosts.split(",") if item)
    path = [piece for piece in parts.path.split("/") if piece]
    if not sentinels or not path or len(path) > 2 or (len(path) == 2 and not path[1].isdigit()):
        raise ValueError("expected redis+sentinel://host:port[,host:port...]/master_name[/db]")
    password = unquote(credentials.rpartition(":")[2]) if credentials else None
    return SentinelAddress(
        sentinels, unquote(path[0]), int(path[1]) if len(path) == 2 else 0, password or None
    )


def _host_port(item: str) -> tuple[str, int]:
    host, _, port = item.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"sentinel address {item!r} is not host:port")
    return host, int(port)
