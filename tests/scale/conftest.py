"""The voice helpline fixtures (the app under uvicorn, driven by the simulator), here on services of each
test module's own (its ``app_services``)."""

from tests.voice.conftest import live_app, voice  # noqa: F401
