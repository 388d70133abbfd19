"""``commerce dev`` run as ``make dev`` runs it, on free ports in a fresh data directory,
and a client that talks to it only through the router (and the ``commerce`` CLI, as an
operator would)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.runtime.net import free_port
from shared.runtime.platform import existing_subgraphs
from shared.settings import SERVICES
from tests.fixtures.database import server_directory

REPOSITORY = Path(__file__).resolve().parents[2]
COMMERCE = Path(sys.executable).parent / "commerce"
READY_WITHIN_SECONDS = 300
STOPPED_WITHIN_SECONDS = 60
PASSWORD = "correct horse battery"

_REGISTER = "mutation($input: RegisterInput!) { register(input: $input) { user { id } } }"
_LOGIN = "mutation($input: LoginInput!) { login(input: $input) { accessToken } }"
_PROFILE = "{ me { profile { userId } } }"


@dataclass
class Platform:
    process: subprocess.Popen[bytes]
    environment: dict[str, str]
    log_file: Path
    router_port: int
    service_ports: dict[str, int]
    postgres_port: int
    kafka_port: int

    def output(self) -> str:
        return self.log_file.read_text(errors="replace")

    def ports(self) -> list[int]:
        return [self.router_port, *self.service_ports.values(), self.postgres_port, self.kafka_port]

    def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        """One operation through the router, as a client sends it."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables or {}}
        url = f"http://127.0.0.1:{self.router_port}/graphql"
        return httpx.post(url, json=body, headers=headers, timeout=30)

    def query(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        return dict(self.post(query, variables, token).json())

    def commerce(self, *args: str) -> str:
        """Run a ``commerce`` command against this platform's data; its standard output."""
        finished = subprocess.run(
            [str(COMMERCE), *args],
            cwd=REPOSITORY,
            env=self.environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert finished.returncode == 0, finished.stderr
        return finished.stdout

    def sign_up(self, email: str, roles: tuple[str, ...] = ()) -> str:
        """Register, grant ``roles`` with ``commerce grant-role``, log in, and wait for the
        users profile (made from user.registered); returns the access token."""
        credentials = {"email": email, "password": PASSWORD}
        assert "errors" not in self.query(_REGISTER, {"input": credentials})
        for role in roles:
            self.commerce("grant-role", email, role)
        token: str = self.query(_LOGIN, {"input": credentials})["data"]["login"]["accessToken"]
        poll(lambda: self.query(_PROFILE, token=token), until=lambda a: a["data"]["me"]["profile"])
        return token

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN_SECONDS
        while "| ready: " not in self.output():
            if self.process.poll() is not None:
                pytest.fail(f"commerce dev exited early:\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"commerce dev not ready in {READY_WITHIN_SECONDS} s:\n{self.output()}")
            time.sleep(0.5)


def poll(
    ask: Callable[[], dict[str, Any]], until: Callable[[dict[str, Any]], Any]
) -> dict[str, Any]:
    """Ask until the answer satisfies ``until``, for up to a minute; the last answer."""
    deadline = time.monotonic() + 60
    while not until(answer := ask()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return answer


@contextmanager
def running_platform() -> Iterator[Platform]:
    """``commerce dev`` started (not yet ready) on free ports in a fresh data directory,
    with the demo catalog; stopped on exit unless stopped already."""
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
            "COMMERCE_SEED_DEMO_DATA": "true",
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
        try:
            yield Platform(
                process, environment, log_file, base_port, service_ports, postgres_port, kafka_port
            )
        finally:
            _stop(process)


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
