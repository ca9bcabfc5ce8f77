"""Work beside the simulation (Samvaad's jobs): `on_idle` runs before simulated time moves on, so a test does
not depend on the machine's speed; and a paced simulation goes on from where `advance` left it."""

import itertools

import httpx
import pytest
from conftest import AUTH_TOKEN, CALLER, HELPLINE, LISTENER, PUBLIC_BASE_URL

from telephony.rest import RestClient
from telephony.simulator import SimulationTimeout, Simulator

OTHER_LINE = "+14155550199"


def test_work_found_by_on_idle_runs_before_simulated_time_moves_on(client: httpx.Client) -> None:
    with Simulator(client, public_base_url=PUBLIC_BASE_URL, auth_token=AUTH_TOKEN) as sim:
        sim.add_number(HELPLINE, voice_url="/voice/incoming")
        caller = sim.phone(CALLER, "caller")
        caller.press("2")
        listener = sim.phone(LISTENER, "listener")
        listener.respond("press 1", press="1")
        call = caller.call(HELPLINE)
        rung_at: list[float] = []

        def worker() -> bool:
            """Like an RQ job queued by the webhook that put the caller in the queue: ring the listener."""
            if not call.is_in_queue or rung_at:
                return False
            rung_at.append(sim.clock.seconds)
            rest = RestClient(sim.account_sid, AUTH_TOKEN, base_url=sim.rest_base_url, timeout=5)
            rest.place_call(to=LISTENER, from_=HELPLINE, url=PUBLIC_BASE_URL + "/voice/listener")
            rest.close()
            return True

        sim.on_idle = worker
        sim.run_until(lambda: caller.is_bridged)

        assert rung_at == [call.enqueued_at]  # not a simulated second later
        assert [h.at for h in listener.transcript if h.kind == "ring"] == rung_at
        assert listener.bridged_with == [caller]


def test_on_idle_sees_simulated_time_pass_in_steps_when_nothing_is_scheduled(client: httpx.Client) -> None:
    with Simulator(client, public_base_url=PUBLIC_BASE_URL, auth_token=AUTH_TOKEN, idle_every=2.0) as sim:
        seen: list[float] = []

        def idle() -> bool:
            seen.append(sim.clock.seconds)
            return False  # never any work: the clock moves on

        sim.on_idle = idle
        sim.advance(60)
        steps = sorted(set(seen))
        assert (steps[0], steps[-1], sim.clock.seconds) == (0.0, 60.0, 60.0)
        assert max(later - earlier for earlier, later in itertools.pairwise(steps)) <= 2.0


def test_a_paced_simulation_goes_on_from_where_advance_left_it(client: httpx.Client) -> None:
    with Simulator(client, public_base_url=PUBLIC_BASE_URL, auth_token=AUTH_TOKEN, pace=100) as paced:
        paced.add_number(OTHER_LINE, voice_url="/voice/enqueue-offer")  # waits forever, with a prompt loop
        caller = paced.phone(CALLER)
        call = caller.call(OTHER_LINE)
        paced.run_until(lambda: call.is_in_queue)
        paced.advance(600)
        jumped = paced.clock.seconds
        with pytest.raises(SimulationTimeout):
            paced.run_until(lambda: False, timeout=0.3)
        assert paced.clock.seconds > jumped  # it did not wait in real time to catch up with the jump
        assert call.is_in_queue
