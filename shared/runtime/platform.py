"""``commerce dev``: the whole platform on one machine, in the foreground."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import signal
import sys
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from router.composition import compose_live
from shared.migrations import migrate_all
from shared.runtime.console import Console
from shared.runtime.postgres import EmbeddedPostgres
from shared.runtime.supervisor import ChildExited, Supervisor, first_of, wait_healthy
from shared.settings import SERVICES, Settings

log = logging.getLogger("commerce.platform")

HEALTH_TIMEOUT_SECONDS = 120.0
SUPERGRAPH_FILE = Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql"


class NotHealthy(Exception):
    pass


class BackendFailed(Exception):
    """The embedded database or broker could not start; the message says why."""


def existing_subgraphs() -> list[str]:
    """The services whose package has an ``app`` module, in port order."""
    return [service for service in SERVICES if _module_exists(f"subgraphs.{service}.app")]


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


async def run_dev(settings: Settings, console: Console) -> int:
    """Start database, broker and every subgraph; stop them all on SIGINT/SIGTERM.

    Returns 0 after a requested stop, 1 when a backend or subgraph failed to start or died.
    """
    stop = _stop_event()
    try:
        await _run(settings, console, stop)
    except (BackendFailed, ChildExited, NotHealthy) as exc:
        log.error("stopped because %s", exc)
        return 1
    log.info("stopped")
    return 0


async def _run(settings: Settings, console: Console, stop: asyncio.Event) -> None:
    with ExitStack() as backends:
        settings = start_backends(settings, backends)
        services = existing_subgraphs()
        await migrate_all(settings, services)
        if settings.seed_demo_data and "products" in services:
            await _seed_demo_data(settings)
        if stop.is_set():
            return
        async with Supervisor(console) as supervisor:
            for service in services:
                await supervisor.spawn(service, serve_command(service), child_environment(settings))
            await _wait_ready(settings, services, supervisor, stop)
            if stop.is_set():
                return
            supergraph = await _compose_live(settings, services)
            await supervisor.spawn("router", router_command(supergraph, settings), dict(os.environ))
            await _wait_ready(settings, ["router"], supervisor, stop)
            if stop.is_set():
                return
            _print_summary(settings, services)
            await first_of(supervisor.wait_exit(), stop.wait())


async def _seed_demo_data(settings: Settings) -> None:
    """A demo catalog in an empty products database (COMMERCE_SEED_DEMO_DATA=false: none)."""
    from subgraphs.products.demo import seed_demo_data  # the platform's one products need

    await seed_demo_data(settings)


async def _wait_ready(
    settings: Settings, services: list[str], supervisor: Supervisor, stop: asyncio.Event
) -> None:
    """Return once every subgraph is healthy or a stop is requested."""
    health = {s: f"{_url(settings, s)}/health" for s in services}
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS):
            await first_of(wait_healthy(health), supervisor.wait_exit(), stop.wait())
    except TimeoutError:
        raise NotHealthy(
            f"not every subgraph was healthy within {HEALTH_TIMEOUT_SECONDS:g} s"
        ) from None


async def _compose_live(settings: Settings, services: list[str]) -> Path:
    """Compose what the running subgraphs publish; the router serves that supergraph."""
    result = await compose_live(routing_urls(settings, services))
    if result.supergraph_sdl is None:
        for error in result.errors:
            log.error("composition: %s", error)
        raise NotHealthy("the subgraphs do not compose")
    path = settings.data_dir / "supergraph.graphql"
    path.write_text(result.supergraph_sdl)
    log.info("composed %d subgraph(s) into %s", len(services), path)
    return path


def routing_urls(settings: Settings, services: list[str]) -> dict[str, str]:
    """Where the router reaches each subgraph's GraphQL endpoint."""
    return {service: f"{settings.service_url(service)}/graphql" for service in services}


def router_command(supergraph: Path, settings: Settings) -> list[str]:
    """The router on the composed supergraph; on a developer's machine it shows its plans."""
    port = str(settings.base_port)
    return [
        sys.executable,
        "-m",
        "shared.cli",
        "router",
        "--supergraph",
        str(supergraph),
        "--port",
        port,
        "--expose-query-plan",
    ]


def _url(settings: Settings, name: str) -> str:
    if name == "router":
        return f"http://{settings.host}:{settings.base_port}"
    return settings.service_url(name)


def start_backends(settings: Settings, backends: ExitStack) -> Settings:
    """Start what is not configured (PostgreSQL, broker) and return settings pointing at it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database_url = settings.database_url
    servers = settings.kafka_bootstrap_servers
    try:
        if not database_url:
            postgres = EmbeddedPostgres(
                settings.data_dir / "postgres", settings.embedded_postgres_port
            )
            database_url = backends.enter_context(postgres).url
            log.info("postgres listens at %s (log: %s)", database_url, postgres.log_file)
        if not servers:
            servers = _start_broker(settings, backends)
    except RuntimeError as exc:
        # The embedded servers report what an operator can fix (a port taken, a directory
        # the unprivileged server user cannot enter): a message, not a traceback.
        raise BackendFailed(str(exc)) from exc
    settings = replace(settings, database_url=database_url, kafka_bootstrap_servers=servers)
    _create_topics(settings)
    return settings


def _start_broker(settings: Settings, backends: ExitStack) -> str:
    from shared.runtime.broker import EmbeddedBroker

    log_file = settings.data_dir / "broker.log"
    broker = EmbeddedBroker(settings.embedded_kafka_port, log_file=log_file)
    servers = broker.start()
    backends.callback(broker.stop)
    log.info("kafka broker listens at %s (log: %s)", servers, log_file)
    return servers


def _create_topics(settings: Settings) -> None:
    from shared.events.kafka import ALL_TOPICS, ensure_topics

    ensure_topics(settings.kafka_servers(), ALL_TOPICS)


def serve_command(service: str) -> list[str]:
    return [sys.executable, "-m", "shared.cli", "serve", service]


def child_environment(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "COMMERCE_DATABASE_URL": settings.database_url,
        "COMMERCE_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "PYTHONUNBUFFERED": "1",
    }


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, _request_stop, stop, signum)
    return stop


def _request_stop(stop: asyncio.Event, signum: signal.Signals) -> None:
    if not stop.is_set():
        log.info("%s received, stopping", signum.name)
        stop.set()


def _print_summary(settings: Settings, services: list[str]) -> None:
    log.info("ready: %d subgraph(s); Ctrl-C stops everything", len(services))
    log.info("  %-13s %s/graphql", "router", _url(settings, "router"))
    for service in services:
        log.info("  %-13s %s/graphql", service, settings.service_url(service))
    log.info("  %-13s %s", "postgres", settings.server_url())
    log.info("  %-13s %s", "kafka", settings.kafka_bootstrap_servers)
