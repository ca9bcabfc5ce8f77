"""Compose the web application: `create_app()` wires settings, connections, routers and error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import health
from app.api import api_router
from app.errors import install_error_handlers
from app.logs import configure_logging
from app.metrics import install_metrics
from app.services import Services, build_services
from app.web import web_router
from app.webhooks import exotel as exotel_webhooks
from app.webhooks import messaging
from app.webhooks import voice as voice_webhooks
from routing.language_detection import warm_up
from schemas.settings import Settings, load_settings

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app; tests pass their own Services (a real database and Redis of their own), which they
    close themselves; Services the app built are closed when it shuts down."""
    owned = services is None
    if not logging.getLogger().handlers:  # a web process uvicorn started (--workers): log as `samvaad` does
        configure_logging()
    services = services or build_services(settings or load_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The language models take about a second to load: load them before the first message, not during it.
        warm_up()
        warm_helplines(services)
        yield
        if owned:
            services.close()

    app = FastAPI(
        title="Samvaad",
        version="0.1.0",
        description="Multilingual helpline routing for doctors' peer-support lines.",
        lifespan=lifespan,
        docs_url=None,  # served by app.web.docs from our own files, so they render offline
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)
    install_metrics(app, services)
    # Routes are matched in order, router by router: the webhooks, which a caller waits on, come first.
    app.include_router(voice_webhooks.router)
    app.include_router(messaging.router)
    app.include_router(exotel_webhooks.router)
    app.include_router(health.router)
    app.include_router(api_router)
    app.include_router(web_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def warm_helplines(services: Services) -> None:
    """Load every voice number's association in the background, so even the first degraded answer speaks
    its languages; a database that is down must not hold up start-up."""
    import threading

    from sqlmodel import Session

    def warm() -> None:
        try:
            with Session(services.fast_engine) as session:
                services.helplines.warm(session)
        except Exception:
            logger.exception("could not warm the helpline cache; it fills on first use")

    threading.Thread(target=warm, name="samvaad-warm-helplines", daemon=True).start()
