"""One GraphQL request to one subgraph over HTTP, failing the way Apollo's gateway does.

A request that gets no usable answer (connection refused, timeout, non-2xx status,
a body that is not a JSON object) raises ``FetchFailed`` holding the one client error
the gateway reports for it: no path, ``INTERNAL_SERVER_ERROR`` unless the status says
401 (``UNAUTHENTICATED``) or 403 (``FORBIDDEN``), and for a bad status the response's
url, status, statusText and body under ``extensions.response``.

The router's app sends with a ``pyreqwest`` client (Rust's reqwest and hyper on a thread
of their own: a third of aiohttp's CPU per request under load); an ``httpx.AsyncClient``
works too, for callers that bring their own (tests, a stub transport). Both give the
same answers and failures, except that reqwest does not report the status line's reason
phrase: a bad status is then shown with its standard phrase (none for an unregistered
code).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx
from pyreqwest.client import Client as ReqwestClient
from pyreqwest.client import ClientBuilder
from pyreqwest.exceptions import PyreqwestError

from router import jsonio

if TYPE_CHECKING:
    from router.executor import ExecutionContext
    from router.plan import Fetch

SubgraphClient = ReqwestClient | httpx.AsyncClient

STATUS_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN"}
JSON_TYPES = ("application/json", "application/graphql-response+json")
HEADERS = {"accept": "application/json", "content-type": "application/json"}


class FetchFailed(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["message"])
        self.error = error

    @classmethod
    def internal(cls, message: str) -> FetchFailed:
        return cls({"message": message, "extensions": {"code": "INTERNAL_SERVER_ERROR"}})


@dataclass(frozen=True)
class SubgraphResponse:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]


@dataclass(frozen=True)
class _Answer:
    """A subgraph's HTTP answer, read whole, whichever client got it."""

    # The response's URL (httpx's URL object, or the request's URL): an error shows it as text.
    url: object
    status: int
    reason: str
    content_type: str
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")


def new_client(max_in_flight: int) -> ReqwestClient:
    """The app's client: kept-alive connections, at most ``max_in_flight`` fetches at once
    (more wait for a slot), and no cookie store, so no subgraph's cookie reaches another
    client's fetches. Close it with ``async with``."""
    return ClientBuilder().max_connections(max_in_flight).build()


async def post_operation(
    fetch: Fetch, context: ExecutionContext, variables: dict[str, Any]
) -> SubgraphResponse:
    url = context.subgraph_urls[fetch.service]
    content = jsonio.dumps({"query": fetch.operation, "variables": variables})
    headers = {**context.headers, **HEADERS} if context.headers else HEADERS
    seconds_left = _time_left(context)
    client: SubgraphClient = context.client
    if isinstance(client, ReqwestClient):
        answer = await _post_reqwest(client, url, content, headers, seconds_left)
    else:
        answer = await _post_httpx(client, url, content, headers, seconds_left)
    if not 200 <= answer.status < 300:
        raise FetchFailed(_status_error(answer))
    return _decode(answer)


async def _post_reqwest(
    client: ReqwestClient,
    url: str,
    content: bytes,
    headers: dict[str, str],
    seconds_left: float | None,
) -> _Answer:
    try:
        request = client.post(url).body_bytes(content).headers(headers)
        if seconds_left is not None:
            request = request.timeout(timedelta(seconds=seconds_left))
        response = await request.build().send()
        body = bytes(await response.bytes())
    except TimeoutError as error:  # reqwest's timeouts are TimeoutErrors too
        raise _timed_out(url) from error
    except PyreqwestError as error:
        raise _failed(url, _reason(error)) from error
    except ValueError as error:  # a URL reqwest cannot parse
        raise _failed(url, error) from error
    content_type = response.get_header("content-type") or ""
    return _Answer(url, response.status, "", content_type, body)


async def _post_httpx(
    client: httpx.AsyncClient,
    url: str,
    content: bytes,
    headers: dict[str, str],
    seconds_left: float | None,
) -> _Answer:
    try:
        response = await client.post(url, content=content, headers=headers, timeout=seconds_left)
    except httpx.TimeoutException as error:
        raise _timed_out(url) from error
    except httpx.HTTPError as error:
        raise _failed(url, error) from error
    content_type = response.headers.get("content-type", "")
    reason = response.reason_phrase
    return _Answer(response.url, response.status_code, reason, content_type, response.content)


def _timed_out(url: str) -> FetchFailed:
    return FetchFailed.internal(f"request to {url} failed, reason: timeout")


def _failed(url: str, reason: object) -> FetchFailed:
    return FetchFailed.internal(f"request to {url} failed, reason: {reason}")


def _reason(error: PyreqwestError) -> str:
    """reqwest's innermost cause, e.g. ``Connection refused (os error 111)``."""
    causes = (getattr(error, "details", None) or {}).get("causes") or []
    return str(causes[-1]["message"]) if causes else error.message


def _time_left(context: ExecutionContext) -> float | None:
    if context.deadline is None:
        return None
    left = context.deadline - asyncio.get_running_loop().time()
    if left <= 0:
        raise FetchFailed.internal("request timed out before it was sent")
    return left


def _decode(answer: _Answer) -> SubgraphResponse:
    body = _body(answer)
    if not isinstance(body, dict):
        raise FetchFailed.internal(f"Expected JSON response body, but received: {answer.text}")
    data = body.get("data")
    errors = body.get("errors")
    return SubgraphResponse(
        data if isinstance(data, dict) else None,
        [error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else [],
    )


def _body(answer: _Answer) -> Any:
    """The JSON body when the content type says JSON (as the gateway reads it), else text."""
    if not answer.content_type.startswith(JSON_TYPES):
        return answer.text
    try:
        return jsonio.loads(answer.content)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FetchFailed.internal(f"invalid json response body at {answer.url}") from error


def _status_error(answer: _Answer) -> dict[str, Any]:
    status = answer.status
    reason = answer.reason or _standard_phrase(status)
    extensions: dict[str, Any] = {
        "response": {
            "url": str(answer.url),
            "status": status,
            "statusText": reason,
            "body": _body_or_text(answer),
        }
    }
    extensions["code"] = STATUS_CODES.get(status, "INTERNAL_SERVER_ERROR")
    return {"message": f"{status}: {reason}", "extensions": extensions}


def _standard_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # not a registered status code
        return ""


def _body_or_text(answer: _Answer) -> Any:
    try:
        return _body(answer)
    except FetchFailed:
        return answer.text
