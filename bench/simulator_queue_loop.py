"""How much real time an hour of simulated queueing costs, and how it scales with callers.

Runs `python -m bench.simulator_queue_loop`. Each caller waits in a queue whose waitUrl says the position and
plays 10 s of music, for one simulated hour. Reports webhooks per caller and the real-time ratio between
10 and 1 callers (about 10 expected: the work is the webhooks, done one by one).
"""

from __future__ import annotations

import time

import httpx
from fastapi import FastAPI, Request, Response

from telephony import twiml
from telephony.simulator import Simulator
from telephony.simulator.asgi_server import serve

HELPLINE = "+14155550100"


def build_app() -> FastAPI:
    app = FastAPI()

    @app.post("/incoming")
    def incoming() -> Response:
        body = twiml.render_voice(twiml.Enqueue("hi", wait_url="/wait", action="/exit"))
        return Response(body, media_type="application/xml")

    @app.post("/wait")
    async def wait(request: Request) -> Response:
        position = (await request.form()).get("QueuePosition")
        body = twiml.render_voice(twiml.Say(f"You are number {position}.", "en-IN"), twiml.Play("/hold.mp3"))
        return Response(body, media_type="application/xml")

    return app


def run(callers: int, base_url: str) -> tuple[float, int]:
    with (
        httpx.Client(base_url=base_url) as http,
        Simulator(http, public_base_url="https://bench.example") as sim,
    ):
        sim.add_number(HELPLINE, voice_url="/incoming")
        calls = [sim.phone(f"+9198000{i:05d}").call(HELPLINE) for i in range(callers)]
        started = time.perf_counter()
        sim.run_until(lambda: all(c.is_in_queue for c in calls))
        sim.advance(3600)
        return time.perf_counter() - started, len(sim.requests)


def main() -> None:
    with serve(build_app()) as base_url:
        run(1, base_url)  # warm up
        one_seconds, one_requests = run(1, base_url)
        ten_seconds, ten_requests = run(10, base_url)
    print(f"1 caller, 1 simulated hour: {one_seconds:.2f} s real, {one_requests} webhooks")
    print(f"10 callers, 1 simulated hour: {ten_seconds:.2f} s real, {ten_requests} webhooks")
    print(f"ratio 10/1 callers: {ten_seconds / one_seconds:.1f} (webhooks {ten_requests / one_requests:.1f})")


if __name__ == "__main__":
    main()
