"""``commerce dev`` run as ``make dev`` runs it: embedded database and broker, every
subgraph, and the router in front of them."""

from __future__ import annotations

import signal

import httpx
import pytest

from shared.runtime.net import port_open
from shared.runtime.sdl import file_text, sdl_file
from tests.e2e.platform import STOPPED_WITHIN_SECONDS, Platform, poll

pytestmark = pytest.mark.platform

REGISTER = """mutation { register(input: {email: "ada@example.com", password: "correct horse"}) {
  user { email } } }"""
LOGIN = """mutation { login(input: {email: "ada@example.com", password: "correct horse"}) {
  accessToken } }"""
ME = "{ me { email roles profile { email emailVerified } } }"


def test_a_client_query_spans_auth_and_users_through_the_router(platform: Platform) -> None:
    # given
    registered = platform.query(REGISTER)
    token = platform.query(LOGIN)["data"]["login"]["accessToken"]

    # when: the users profile appears once user.registered has travelled through Kafka
    answer = poll(
        lambda: platform.query(ME, token=token), until=lambda a: a["data"]["me"]["profile"]
    )

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


def test_dev_serves_every_subgraph_and_stops_cleanly_on_sigint(own_platform: Platform) -> None:
    # given
    own_platform.wait_until_ready()

    # when
    health = {
        s: _health(port)
        for s, port in [("router", own_platform.router_port), *own_platform.service_ports.items()]
    }
    published = {
        s: file_text(_published_sdl(port)) for s, port in own_platform.service_ports.items()
    }
    own_platform.process.send_signal(signal.SIGINT)
    returncode = own_platform.process.wait(STOPPED_WITHIN_SECONDS)

    # then
    assert returncode == 0, own_platform.output()
    assert health == {s: 200 for s in ["router", *own_platform.service_ports]}
    assert published == {s: _committed_sdl(s) for s in own_platform.service_ports}
    assert [port for port in own_platform.ports() if port_open(port)] == []


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
