"""``commerce dev`` run as ``make dev`` runs it: embedded database and broker, every
subgraph, and the router in front of them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.runtime.net import free_port, port_open
from shared.runtime.platform import existing_subgraphs
from shared.runtime.sdl import file_text, sdl_file
from shared.settings import SERVICES
from tests.fixtures.database import server_directory

pytestmark = pytest.mark.platform

REPOSITORY = Path(__file__).resolve().parents[2]
COMMERCE = Path(sys.executable).parent / "commerce"
READY_WITHIN_SECONDS = 300
STOPPED_WITHIN_SECONDS = 60


@dataclass
class Platform:
    process: subprocess.Popen[bytes]
    log_file: Path
    router_port: int
    service_ports: dict[str, int]
    postgres_port: int
    kafka_port: int

    def output(self) -> str:
        return self.log_file.read_text(errors="replace")

    def ports(self) -> list[int]:
        return [self.router_port, *self.service_ports.values(), self.postgres_port, self.kafka_port]

    def query(self, query: str, token: str | None = None) -> dict[str, Any]:
        """One operation through the router, as a client sends it."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        url = f"http://127.0.0.1:{self.router_port}/graphql"
        response = httpx.post(url, json={"query": query}, headers=headers, timeout=30)
        return dict(response.json())


@pytest.fixture
def platform() -> Iterator[Platform]:
    """``commerce dev`` running on free ports in a fresh data directory."""
    with server_directory() as data_dir:
        base_port = _free_base_port()
        postgres_port, kafka_port = free_port(), free_port()
        environment = {
            name: value
            for name, value in os.environ.items()
            if name not in {"COMMERCE_DATABASE_URL", "COMMERCE_KAFKA_BOOTSTRAP_SERVERS"}
        }
        environment |= {
            "COMMERCE_DATA_DIR": str(data_dir / "data"),
            "COMMERCE_BASE_PORT": str(base_port),
            "COMMERCE_EMBEDDED_POSTGRES_PORT": str(postgres_port),
            "COMMERCE_EMBEDDED_KAFKA_PORT": str(kafka_port),
        }
        log_file = data_dir / "dev.log"
        with log_file.open("wb") as log:
            process = subprocess.Popen(
                [str(COMMERCE), "dev"],
                cwd=REPOSITORY,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        service_ports = {s: base_port + 1 + SERVICES.index(s) for s in existing_subgraphs()}
        yield Platform(process, log_file, base_port, service_ports, postgres_port, kafka_port)
        _stop(process)


REGISTER = """mutation { register(input: {email: "ada@example.com", password: "correct horse"}) {
  user { email } } }"""
LOGIN = """mutation { login(input: {email: "ada@example.com", password: "correct horse"}) {
  accessToken } }"""
ME = "{ me { email roles profile { email emailVerified } } }"


def test_dev_serves_every_subgraph_and_stops_cleanly_on_sigint(platform: Platform) -> None:
    # given
    _wait_until_ready(platform)

    # when
    health = {
        s: _health(port)
        for s, port in [("router", platform.router_port), *platform.service_ports.items()]
    }
    published = {s: file_text(_published_sdl(port)) for s, port in platform.service_ports.items()}
    platform.process.send_signal(signal.SIGINT)
    returncode = platform.process.wait(STOPPED_WITHIN_SECONDS)

    # then
    assert returncode == 0, platform.output()
    assert health == {s: 200 for s in ["router", *platform.service_ports]}
    assert published == {s: _committed_sdl(s) for s in platform.service_ports}
    assert [port for port in platform.ports() if port_open(port)] == []


def test_a_client_query_spans_auth_and_users_through_the_router(platform: Platform) -> None:
    # given
    _wait_until_ready(platform)
    registered = platform.query(REGISTER)
    token = platform.query(LOGIN)["data"]["login"]["accessToken"]

    # when: the users profile appears once user.registered has travelled through Kafka
    answer = _poll(lambda: platform.query(ME, token), until=lambda a: a["data"]["me"]["profile"])

    # then
    assert registered == {"data": {"register": {"user": {"email": "ada@example.com"}}}}
    assert answer == {
        "data": {
            "me": {
                "email": "ada@example.com",
                "roles": ["customer"],
                "profile": {"email": "ada@example.com", "emailVerified": False},
            }
        }
    }


def _poll(
    ask: Callable[[], dict[str, Any]], until: Callable[[dict[str, Any]], Any]
) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while not until(answer := ask()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return answer


def _wait_until_ready(platform: Platform) -> None:
    deadline = time.monotonic() + READY_WITHIN_SECONDS
    while "| ready: " not in platform.output():
        if platform.process.poll() is not None:
            pytest.fail(f"commerce dev exited early:\n{platform.output()}")
        if time.monotonic() > deadline:
            pytest.fail(f"commerce dev not ready in {READY_WITHIN_SECONDS} s:\n{platform.output()}")
        time.sleep(0.5)


def _health(port: int) -> int:
    return httpx.get(f"http://127.0.0.1:{port}/health", timeout=10).status_code


def _published_sdl(port: int) -> str:
    response = httpx.post(
        f"http://127.0.0.1:{port}/graphql", json={"query": "{ _service { sdl } }"}, timeout=10
    )
    return str(response.json()["data"]["_service"]["sdl"])


def _committed_sdl(service: str) -> str:
    path = sdl_file(service)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make sdl`")
    return path.read_text()


def _free_base_port() -> int:
    """A base port such that it and the ten service ports above it are all free."""
    while True:
        base = free_port()
        if base + len(SERVICES) < 65536 and all(_bindable(base + i) for i in range(1, 11)):
            return base


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    # SIGTERM, not SIGKILL: the platform must stop its children, which run in their own groups.
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOPPED_WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
