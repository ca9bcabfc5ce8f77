"""Recurring jobs, run by RQ's built-in cron scheduler in every worker process. Each is safe to run twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Schedule:
    func: Callable[..., Any]
    interval_seconds: int


def schedules() -> list[Schedule]:
    """Every recurring job. Modules add theirs here, so one list says what runs on a timer."""
    from workers.retention_jobs import RETENTION_SECONDS, purge_expired_records
    from workers.roster_jobs import PLAN_SECONDS, plan_roster_work
    from workers.routing_jobs import TICK_SECONDS, routing_tick
    from workers.text_inbox import PENDING_SWEEP_SECONDS, handle_pending_texts
    from workers.text_jobs import (
        IDLE_SWEEP_SECONDS,
        PURGE_SECONDS,
        RELAY_SWEEP_SECONDS,
        TEXT_SWEEP_SECONDS,
        WAITING_SWEEP_SECONDS,
        close_idle_conversations,
        notify_waiting_texters,
        purge_message_bodies,
        sweep_text_offers,
        sweep_unrelayed_messages,
    )
    from workers.voice_jobs import sweep_voice_offers

    return [
        Schedule(routing_tick, TICK_SECONDS),
        Schedule(sweep_voice_offers, 2),
        Schedule(sweep_text_offers, TEXT_SWEEP_SECONDS),
        Schedule(close_idle_conversations, IDLE_SWEEP_SECONDS),
        Schedule(purge_message_bodies, PURGE_SECONDS),
        Schedule(sweep_unrelayed_messages, RELAY_SWEEP_SECONDS),
        Schedule(handle_pending_texts, PENDING_SWEEP_SECONDS),
        Schedule(notify_waiting_texters, WAITING_SWEEP_SECONDS),
        Schedule(purge_expired_records, RETENTION_SECONDS),
        Schedule(plan_roster_work, PLAN_SECONDS),
    ]
