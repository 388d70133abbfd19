"""The ``commerce`` command: run, serve, migrate and describe the platform."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import uvicorn
from graphql import GraphQLError, parse

from router import app as router_app
from router.composition import compose_files, compose_live
from router.config import RouterConfig
from router.plan import format_plan
from router.planner import build_plan, validate
from router.supergraph import load_supergraph
from shared import migrations
from shared.auth.service_tokens import ServiceTokenError, fetch_service_token, parse_credentials
from shared.database import create_engine, session_factory
from shared.errors import DomainError
from shared.runtime.broker import EmbeddedBroker
from shared.runtime.console import Console, ConsoleHandler
from shared.runtime.platform import SUPERGRAPH_FILE, existing_subgraphs, routing_urls, run_dev
from shared.runtime.postgres import EmbeddedPostgres
from shared.runtime.progress import ProgressBar
from shared.runtime.sdl import file_text, sdl_file, stale_sdl_files
from shared.settings import SERVICES, Settings

log = logging.getLogger("commerce.cli")

Command = Callable[[Settings, argparse.Namespace], int]

# What import-products reads a file as, by its extension, when --format is not given.
IMPORT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        parser.error(str(exc))
    command: Command = args.command
    return command(settings, args)


def dev(settings: Settings, args: argparse.Namespace) -> int:
    console = Console(["platform", *existing_subgraphs(), "router"])
    _configure_logging(ConsoleHandler(console))
    return asyncio.run(run_dev(settings, console))


def serve(settings: Settings, args: argparse.Namespace) -> int:
    _configure_logging()
    app = importlib.import_module(f"subgraphs.{args.service}.app").create_app(settings)
    port = args.port or settings.port_of(args.service)
    uvicorn.run(app, host=settings.host, port=port, log_level=settings.log_level)
    return 0


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    _configure_logging()
    services = args.services or existing_subgraphs()
    with _database(settings) as settings:
        if args.downgrade:
            asyncio.run(_downgrade_all(settings, services, args.revision or "base"))
        else:
            asyncio.run(migrations.migrate_all(settings, services, args.revision or "head"))
    return 0


async def _downgrade_all(settings: Settings, services: list[str], revision: str) -> None:
    for service in services:
        await migrations.downgrade(settings, service, revision)
        log.info("%s: database at %s", service, revision)


def revision(settings: Settings, args: argparse.Namespace) -> int:
    _configure_logging()
    with _database(settings) as settings:
        asyncio.run(_revision(settings, args.service, args.message, not args.empty))
    return 0


async def _revision(settings: Settings, service: str, message: str, autogenerate: bool) -> None:
    # Autogenerate compares the models with a database at head.
    if autogenerate:
        await migrations.migrate_all(settings, [service])
    await migrations.create_revision(settings, service, message, autogenerate=autogenerate)


def grant_role(settings: Settings, args: argparse.Namespace) -> int:
    """Give an existing account a role: how the first admin is made."""
    _configure_logging()
    with _database(settings) as settings:
        return asyncio.run(_grant_role(settings, args.email, args.role))


async def _grant_role(settings: Settings, email: str, role: str) -> int:
    from subgraphs.auth import service  # the CLI needs the auth domain only here

    engine = create_engine(settings, "auth")
    try:
        async with session_factory(engine)() as db:
            user = await service.grant_role(db, email=email, role=role)
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    print(f"{user.email} now has roles: {', '.join(user.role_names)}")
    return 0


def service_token(settings: Settings, args: argparse.Namespace) -> int:
    """Print a token with role service for SERVICE, from the running auth service: how an
    operator (or a script) calls a subgraph directly, as that service would."""
    try:
        secret = parse_credentials(settings.service_credentials).get(args.service)
    except ValueError as error:
        print(f"error: COMMERCE_SERVICE_CREDENTIALS: {error}", file=sys.stderr)
        return 1
    if secret is None:
        print(f"error: COMMERCE_SERVICE_CREDENTIALS lacks {args.service}", file=sys.stderr)
        return 1
    auth_url = f"{settings.service_url('auth')}/graphql"
    try:
        token = asyncio.run(fetch_service_token(auth_url, args.service, secret))
    except ServiceTokenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(token.access_token)
    return 0


def import_products(settings: Settings, args: argparse.Namespace) -> int:
    """Create or update products by SKU from a CSV or JSON Lines file; exit 1 when a row
    was rejected (each is listed with its line and reason)."""
    _configure_logging()
    format = args.format or IMPORT_FORMATS.get(args.file.suffix.lower())
    if format is None:
        print("error: give --format: the file name does not tell", file=sys.stderr)
        return 2
    try:
        file = args.file.open("rb")
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with file, _database(settings) as settings:
        bar = ProgressBar(os.fstat(file.fileno()).st_size)
        return asyncio.run(_import_products(settings, file, format, bar))


async def _import_products(
    settings: Settings, file: BinaryIO, format: str, bar: ProgressBar
) -> int:
    # The CLI needs the products domain only here.
    from subgraphs.products import importer
    from subgraphs.products.import_rows import ImportFormat

    await migrations.migrate_all(settings, ["products"])
    engine = create_engine(settings, "products")
    try:
        async with session_factory(engine)() as db:
            report = await importer.import_file(
                db,
                file,
                ImportFormat(format),
                actor="import",
                on_progress=lambda done, report: bar.update(done, f"{report.rows} rows"),
            )
    except DomainError as error:
        print(f"\nerror: {error.message}", file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    bar.finish(f"{report.rows} rows")
    for row in report.rejected_rows:
        print(f"line {row.line}: {row.code} {row.message}")
    print(
        f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
        f"rejected {report.rejected}"
    )
    return 1 if report.rejected else 0


def export_sdl(settings: Settings, args: argparse.Namespace) -> int:
    stale = stale_sdl_files(existing_subgraphs())
    if args.check:
        for path in stale:
            print(f"stale: {_shown(path)} (run `commerce export-sdl`)")
        return 1 if stale else 0
    for path, text in stale.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {_shown(path)}")
    return 0


def compose(settings: Settings, args: argparse.Namespace) -> int:
    """Compose the subgraphs' SDL (checked-in files, or live) into the supergraph file."""
    urls = routing_urls(settings, existing_subgraphs())
    if args.live:
        result = asyncio.run(compose_live(urls))
    else:
        result = compose_files([sdl_file(service) for service in urls], urls)
    if result.supergraph_sdl is None:
        for error in result.errors:
            print(f"error: {error}", file=sys.stderr)
        return 1
    text = file_text(result.supergraph_sdl)
    output: Path = args.output
    if args.check:
        if not output.exists() or output.read_text() != text:
            print(f"stale: {_shown(output)} (run `commerce compose`)")
            return 1
        return 0
    output.write_text(text)
    print(f"wrote {_shown(output)}")
    return 0


def router(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the router on a supergraph file, as operators run Apollo's router."""
    _configure_logging()
    try:
        config = _router_config(settings, args)
        # Built here even for workers, so bad settings stop the command before any starts.
        app = router_app.app_from_config(config)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if config.workers > 1:
        # uvicorn starts workers from an import string; each builds its app from this.
        os.environ[router_app.CONFIG_ENV] = config.to_json()
    uvicorn.run(
        app if config.workers == 1 else router_app.FACTORY,
        factory=config.workers > 1,
        workers=config.workers,
        host=config.host,
        port=config.port,
        log_level=settings.log_level,
    )
    return 0


def _router_config(settings: Settings, args: argparse.Namespace) -> RouterConfig:
    config = RouterConfig(host=settings.host, port=settings.base_port)
    if args.config:
        # The file wins over the settings (COMMERCE_HOST, COMMERCE_BASE_PORT) it leaves out.
        config = RouterConfig.from_file(args.config, base=config)
    options = {
        "supergraph": args.supergraph,
        "port": args.port,
        "workers": args.workers,
        "expose_query_plan": args.expose_query_plan,
    }
    # An option left out keeps the file's value (store_true: False means left out).
    return replace(config, **{name: value for name, value in options.items() if value})


def plan(settings: Settings, args: argparse.Namespace) -> int:
    """Print the query plan of an operation, in Apollo's text form."""
    supergraph = load_supergraph(args.supergraph.read_text())
    text = sys.stdin.read() if args.operation == "-" else Path(args.operation).read_text()
    try:
        document = parse(text)
    except GraphQLError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    errors = validate(supergraph, document)
    for invalid in errors:
        print(f"error: {invalid.message}", file=sys.stderr)
    if errors:
        return 1
    print(format_plan(build_plan(supergraph, document, args.operation_name)))
    return 0


def db(settings: Settings, args: argparse.Namespace) -> int:
    postgres = EmbeddedPostgres(settings.data_dir / "postgres", settings.embedded_postgres_port)
    with postgres:
        print(f"postgres listens at {postgres.url} (log: {postgres.log_file}); Ctrl-C stops it")
        _wait_for_signal()
    return 0


def broker(settings: Settings, args: argparse.Namespace) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log_file = settings.data_dir / "broker.log"
    embedded = EmbeddedBroker(settings.embedded_kafka_port, log_file=log_file)
    servers = embedded.start()
    try:
        print(f"kafka broker listens at {servers} (log: {log_file}); Ctrl-C stops it")
        _wait_for_signal()
    finally:
        embedded.stop()
    return 0


@contextmanager
def _database(settings: Settings) -> Iterator[Settings]:
    """Settings with a reachable server: the configured one, else the embedded one."""
    if settings.database_url:
        yield settings
        return
    postgres = EmbeddedPostgres(settings.data_dir / "postgres", settings.embedded_postgres_port)
    with postgres:
        yield replace(settings, database_url=postgres.url)


def _wait_for_signal() -> None:
    # Blocked only now, so the servers started before keep their default signal mask.
    signals = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        signal.sigwait(signals)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _configure_logging(handler: logging.Handler | None = None) -> None:
    """Our own INFO lines, and only warnings from libraries (alembic, kafka)."""
    handler = handler or logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    logging.getLogger("commerce").setLevel(logging.INFO)
    # kafka-python logs every failed reconnect at ERROR, several a second while the
    # broker is away; the outbox relay and consumers already report outages once.
    logging.getLogger("kafka").setLevel(logging.CRITICAL)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _service(name: str) -> str:
    if name not in SERVICES:
        raise argparse.ArgumentTypeError(f"unknown service {name!r}, one of: {', '.join(SERVICES)}")
    return name


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commerce", description="Run, serve, migrate and describe the commerce platform."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def add(name: str, command: Command, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help)
        sub.set_defaults(command=command)
        return sub

    add(
        "dev",
        dev,
        "run everything in the foreground: embedded PostgreSQL and broker unless configured, "
        "migrations, every subgraph",
    )
    sub = add("serve", serve, "serve one subgraph with uvicorn")
    sub.add_argument("service", type=_service)
    sub.add_argument("--port", type=int, help="default: the service's port from the settings")
    sub = add("migrate", migrate, "bring service databases to a revision")
    sub.add_argument("services", nargs="*", type=_service, help="default: every existing subgraph")
    sub.add_argument("--revision", help="default: head, or base with --downgrade")
    sub.add_argument("--downgrade", action="store_true")
    sub = add("revision", revision, "write a new migration for one service")
    sub.add_argument("service", type=_service)
    sub.add_argument("-m", "--message", required=True)
    sub.add_argument("--empty", action="store_true", help="do not compare models with the database")
    sub = add("grant-role", grant_role, "give an existing account a role (e.g. the first admin)")
    sub.add_argument("email")
    sub.add_argument("role", help="customer, admin or support")
    sub = add(
        "service-token",
        service_token,
        "print a short-lived token with role service for a service, from the auth service",
    )
    sub.add_argument("service", type=_service)
    sub = add("import-products", import_products, "create or update products from a file")
    sub.add_argument("file", type=Path, help="CSV with a header row, or JSON Lines")
    sub.add_argument("--format", choices=sorted(set(IMPORT_FORMATS.values())))
    sub = add("export-sdl", export_sdl, "write each subgraph's SDL to schema/subgraphs/")
    sub.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    sub = add("compose", compose, "compose the subgraphs into schema/supergraph.graphql")
    sub.add_argument("--live", action="store_true", help="ask the running subgraphs for their SDL")
    sub.add_argument("--output", type=Path, default=SUPERGRAPH_FILE)
    sub.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    sub = add("router", router, "serve the federation router on a supergraph file")
    sub.add_argument("--supergraph", type=Path, help="default: schema/supergraph.graphql")
    sub.add_argument("--port", type=int, help="default: the base port (4000)")
    sub.add_argument("--config", type=Path, help="a TOML file (see router/config.py)")
    sub.add_argument("--workers", type=_positive, help="uvicorn worker processes (default: 1)")
    sub.add_argument(
        "--expose-query-plan",
        action="store_true",
        help="answer the Apollo-Expose-Query-Plan header with the query plan",
    )
    sub = add("plan", plan, "print the query plan of an operation (a file, or - for stdin)")
    sub.add_argument("operation")
    sub.add_argument("--supergraph", type=Path, default=SUPERGRAPH_FILE)
    sub.add_argument("--operation-name")
    add("db", db, "run only the embedded PostgreSQL, in the foreground")
    add("broker", broker, "run only the embedded Kafka-protocol broker, in the foreground")
    return parser


if __name__ == "__main__":
    sys.exit(main())
