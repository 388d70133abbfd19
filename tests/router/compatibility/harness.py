"""Running Apollo's subgraph compatibility suite by hand: its fixed ports, its reference
subgraphs and gateway as Node processes, ASGI apps on a fixed port, and its jest runner
(all through ``tests/peers/compatibility.mjs`` and ``gateway.mjs``)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send

from tests.router.fixtures.servers import node

# The suite's tests hard-code these (a gateway on localhost:4000, the reference users and
# inventory subgraphs on 4002 and 4003); products goes where the suite's default puts it.
GATEWAY_PORT = 4000
PRODUCTS_PORT = 4001
USERS_PORT = 4002
INVENTORY_PORT = 4003
SUITE_PORTS = (GATEWAY_PORT, PRODUCTS_PORT, USERS_PORT, INVENTORY_PORT)

STARTUP_SECONDS = 30.0
SUITE_SECONDS = 300.0

Stop = Callable[[], Awaitable[None]]


def busy_ports(ports: tuple[int, ...]) -> list[int]:
    """The ports of ``ports`` that something on this machine already listens on.

    A port is busy when 127.0.0.1 cannot be bound, or when any address ``localhost``
    resolves to (``::1`` too) accepts a connection: the suite's tests dial ``localhost``.
    """
    return [port for port in ports if not _bindable(port) or _answers_on_localhost(port)]


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        # As uvicorn and Node do, so that sockets in TIME_WAIT do not count as busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _answers_on_localhost(port: int) -> bool:
    for family, kind, proto, _, address in socket.getaddrinfo(
        "localhost", port, type=socket.SOCK_STREAM
    ):
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(address) == 0:
                return True
    return False


def at_root(app: ASGIApp) -> ASGIApp:
    """``app`` with its ``/graphql`` endpoint also at ``/``, where the suite sends queries."""

    async def rooted(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/":
            scope = {**scope, "path": "/graphql", "raw_path": b"/graphql"}
        await app(scope, receive, send)

    return rooted


async def serve_on(app: ASGIApp, port: int) -> Stop:
    """Serve ``app`` on 127.0.0.1:``port`` in this event loop until the returned stop."""
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError(f"uvicorn did not start on port {port}")
        await asyncio.sleep(0.01)

    async def stop() -> None:
        server.should_exit = True
        await task

    return stop


@dataclass
class NodeProcess:
    """A Node script of tests/peers, its output going to a log file."""

    process: asyncio.subprocess.Process
    log_path: Path
    log: IO[bytes]

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()
        self.log.close()

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:]


async def start_node(peers: Path, args: list[str], url: str, log_path: Path) -> NodeProcess:
    """Run ``node ARGS`` in ``peers``; returns once ``url`` answers ``{ __typename }``."""
    log = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        node(), *args, cwd=peers, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
    )
    started = NodeProcess(process, log_path, log)
    try:
        await wait_until_answers(url, process)
    except Exception:
        await started.stop()
        raise
    return started


async def wait_until_answers(url: str, process: asyncio.subprocess.Process | None = None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    async with httpx.AsyncClient(timeout=2) as client:
        while True:
            if process is not None and process.returncode is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            try:
                response = await client.post(url, json={"query": "{ __typename }"})
                if response.json().get("data", {}).get("__typename"):
                    return
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {STARTUP_SECONDS} s")
            await asyncio.sleep(0.1)


@dataclass(frozen=True)
class SuiteResult:
    """What ``compatibility.mjs run`` prints: per feature, and per jest test."""

    features: list[dict[str, Any]]
    tests: list[dict[str, Any]]

    def failed_features(self) -> list[str]:
        return [feature["name"] for feature in self.features if not feature["passed"]]

    def failures(self) -> str:
        return "\n\n".join(
            f"{test['name']}:\n" + "\n".join(test["failureMessages"])
            for test in self.tests
            if not test["passed"]
        )


async def run_suite(peers: Path, products_url: str) -> SuiteResult:
    """The suite's jest tests against the gateway on localhost:4000 and ``products_url``."""
    process = await asyncio.create_subprocess_exec(
        node(),
        "compatibility.mjs",
        "run",
        products_url,
        cwd=peers,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "FORCE_COLOR": "0"},
    )
    output, errors = await asyncio.wait_for(process.communicate(), SUITE_SECONDS)
    if process.returncode != 0:
        raise RuntimeError(f"the compatibility suite did not run:\n{errors.decode()[-4000:]}")
    summary = json.loads(output.decode().strip().splitlines()[-1])
    return SuiteResult(summary["features"], summary["tests"])
