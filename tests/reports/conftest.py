"""Reports read what routing wrote: the routing tests' small helpline, driven through routing's services,
and the API as a client sees it."""

from tests.api.conftest import admin, association, client, platform
from tests.routing.conftest import helpline, live

__all__ = ["admin", "association", "client", "helpline", "live", "platform"]
