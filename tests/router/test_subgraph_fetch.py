"""One subgraph fetch through the app's client (reqwest) and through httpx: the same
answers, and the failures Apollo's gateway reports, from a subgraph misbehaving on
purpose (a path per misbehaviour)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from router.executor import ExecutionContext
from router.plan import Fetch
from router.subgraph_fetch import FetchFailed, SubgraphClient, new_client, post_operation
from tests.router.conftest import UNREACHABLE_URL
from tests.router.fixtures.servers import serve

QUERY = "{me{name}}"
ANSWER = {"data": {"me": {"name": "Ada"}}, "errors": [{"message": "partial", "path": ["me"]}]}
FAILED = {"errors": [{"message": "boom"}]}


class Misbehaving:
    """A subgraph answering by path: ``/echo`` returns the request it got as its data,
    ``/answer`` gives ``ANSWER``, ``/status/N`` gives status N with ``FAILED``, ``/text``
    and ``/not-json`` give a text body and a broken JSON one, ``/slow`` waits 2 s. It
    records the paths it was asked for."""

    def __init__(self) -> None:
        self.received: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = (await receive())["body"]
        path = scope["path"]
        self.received.append(path)
        status, content_type, content = 200, b"application/json", json.dumps(ANSWER).encode()
        if path == "/echo":
            headers = {name.decode(): value.decode() for name, value in scope["headers"]}
            echo = {"headers": headers, "body": json.loads(body)}
            content = json.dumps({"data": echo}).encode()
        elif path.startswith("/status/"):
            status, content = int(path.removeprefix("/status/")), json.dumps(FAILED).encode()
        elif path == "/text":
            content_type, content = b"text/plain", b"hello"
        elif path == "/not-json":
            content = b'{"data": '
        elif path == "/slow":
            await asyncio.sleep(2)
        start = {"type": "http.response.start", "status": status}
        await send({**start, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": content})


@pytest.fixture(scope="module")
async def subgraph() -> AsyncIterator[tuple[str, Misbehaving]]:
    app = Misbehaving()
    running = await serve(app)
    yield running.url, app
    await running.stop()


@pytest.fixture
def misbehaving(subgraph: tuple[str, Misbehaving]) -> str:
    """The misbehaving subgraph's base URL."""
    return subgraph[0]


@pytest.fixture(params=["reqwest", "httpx"])
async def client(request: pytest.FixtureRequest) -> AsyncIterator[SubgraphClient]:
    if request.param == "httpx":
        async with httpx.AsyncClient() as httpx_client:
            yield httpx_client
    else:
        async with new_client(8) as reqwest_client:
            yield reqwest_client


def context(client: SubgraphClient, url: str, *, seconds: float = 10.0) -> ExecutionContext:
    deadline = asyncio.get_running_loop().time() + seconds
    headers = {"authorization": "Bearer t"}
    return ExecutionContext({"accounts": url}, client, headers=headers, deadline=deadline)


async def failure(client: SubgraphClient, url: str, *, seconds: float = 10.0) -> dict[str, Any]:
    with pytest.raises(FetchFailed) as raised:
        await post_operation(Fetch("accounts", QUERY), context(client, url, seconds=seconds), {})
    return raised.value.error


async def test_request_carries_the_operation_and_headers(
    client: SubgraphClient, misbehaving: str
) -> None:
    # given
    fetch = Fetch("accounts", QUERY)
    # when
    response = await post_operation(fetch, context(client, f"{misbehaving}/echo"), {"id": "1"})
    # then
    assert response.errors == []
    assert response.data is not None
    assert response.data["body"] == {"query": QUERY, "variables": {"id": "1"}}
    assert {
        name: response.data["headers"][name] for name in ("accept", "content-type", "authorization")
    } == {
        "accept": "application/json",
        "content-type": "application/json",
        "authorization": "Bearer t",
    }


async def test_data_and_errors_are_passed_on(client: SubgraphClient, misbehaving: str) -> None:
    # when
    response = await post_operation(
        Fetch("accounts", QUERY), context(client, f"{misbehaving}/answer"), {}
    )
    # then
    assert (response.data, response.errors) == (ANSWER["data"], ANSWER["errors"])


@pytest.mark.parametrize(
    ("status", "reason", "code"),
    [
        (500, "Internal Server Error", "INTERNAL_SERVER_ERROR"),
        (401, "Unauthorized", "UNAUTHENTICATED"),
        (403, "Forbidden", "FORBIDDEN"),
    ],
)
async def test_bad_status_gives_the_response_in_extensions(
    client: SubgraphClient, misbehaving: str, status: int, reason: str, code: str
) -> None:
    # given
    url = f"{misbehaving}/status/{status}"
    # when
    error = await failure(client, url)
    # then
    response = {"url": url, "status": status, "statusText": reason, "body": FAILED}
    assert error == {
        "message": f"{status}: {reason}",
        "extensions": {"response": response, "code": code},
    }


async def test_unregistered_status_has_no_reason(client: SubgraphClient, misbehaving: str) -> None:
    # when
    error = await failure(client, f"{misbehaving}/status/599")
    # then
    assert (error["message"], error["extensions"]["response"]["statusText"]) == ("599: ", "")


async def test_text_body_is_not_an_answer(client: SubgraphClient, misbehaving: str) -> None:
    # when
    error = await failure(client, f"{misbehaving}/text")
    # then
    assert error == {
        "message": "Expected JSON response body, but received: hello",
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }


async def test_broken_json_names_the_url(client: SubgraphClient, misbehaving: str) -> None:
    # given
    url = f"{misbehaving}/not-json"
    # when
    error = await failure(client, url)
    # then
    assert error == {
        "message": f"invalid json response body at {url}",
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }


async def test_slow_subgraph_times_out_at_the_deadline(
    client: SubgraphClient, misbehaving: str
) -> None:
    # given
    url = f"{misbehaving}/slow"
    started = asyncio.get_running_loop().time()
    # when
    error = await failure(client, url, seconds=0.3)
    # then
    assert asyncio.get_running_loop().time() - started < 2
    assert error == {
        "message": f"request to {url} failed, reason: timeout",
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }


async def test_nothing_is_sent_after_the_deadline(
    client: SubgraphClient, subgraph: tuple[str, Misbehaving]
) -> None:
    # given
    url, app = subgraph
    received = list(app.received)
    # when
    error = await failure(client, f"{url}/echo", seconds=-1)
    # then
    assert error == {
        "message": "request timed out before it was sent",
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
    assert app.received == received


async def test_refused_connection_gives_the_reason(client: SubgraphClient) -> None:
    # when
    error = await failure(client, UNREACHABLE_URL)
    # then
    assert error["message"].startswith(f"request to {UNREACHABLE_URL} failed, reason: ")
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}


async def test_reqwest_reason_is_its_innermost_cause() -> None:
    async with new_client(8) as client:
        # when
        error = await failure(client, UNREACHABLE_URL)
    # then
    assert error["message"] == (
        f"request to {UNREACHABLE_URL} failed, reason: Connection refused (os error 111)"
    )
