"""One GraphQL request to one subgraph over HTTP, failing the way Apollo's gateway does.

A request that gets no usable answer (connection refused, timeout, non-2xx status,
a body that is not a JSON object) raises ``FetchFailed`` holding the one client error
the gateway reports for it: no path, ``INTERNAL_SERVER_ERROR`` unless the status says
401 (``UNAUTHENTICATED``) or 403 (``FORBIDDEN``), and for a bad status the response's
url, status, statusText and body under ``extensions.response``.

The router's app sends with an ``aiohttp.ClientSession`` (its connection pool costs a
fraction of httpx's per request); an ``httpx.AsyncClient`` works too, for callers that
bring their own (tests, a stub transport). Both give the same answers and failures.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import aiohttp
import httpx

from router import jsonio

if TYPE_CHECKING:
    from router.executor import ExecutionContext
    from router.plan import Fetch

SubgraphClient = aiohttp.ClientSession | httpx.AsyncClient

STATUS_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN"}
JSON_TYPES = ("application/json", "application/graphql-response+json")


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

    # The response's URL object (aiohttp's or httpx's): only an error shows it, as text.
    url: object
    status: int
    reason: str
    content_type: str
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")


async def post_operation(
    fetch: Fetch, context: ExecutionContext, variables: dict[str, Any]
) -> SubgraphResponse:
    url = context.subgraph_urls[fetch.service]
    content = jsonio.dumps({"query": fetch.operation, "variables": variables})
    headers = {**context.headers, "accept": "application/json", "content-type": "application/json"}
    seconds_left = _time_left(context)
    client: SubgraphClient = context.client
    if isinstance(client, aiohttp.ClientSession):
        answer = await _post_aiohttp(client, url, content, headers, seconds_left)
    else:
        answer = await _post_httpx(client, url, content, headers, seconds_left)
    if not 200 <= answer.status < 300:
        raise FetchFailed(_status_error(answer))
    return _decode(answer)


async def _post_aiohttp(
    session: aiohttp.ClientSession,
    url: str,
    content: bytes,
    headers: dict[str, str],
    seconds_left: float | None,
) -> _Answer:
    try:
        async with session.post(
            url, data=content, headers=headers, timeout=aiohttp.ClientTimeout(total=seconds_left)
        ) as response:
            body = await response.read()
    except TimeoutError as error:
        raise _timed_out(url) from error
    except aiohttp.ClientError as error:
        raise _failed(url, error) from error
    content_type = response.headers.get("content-type", "")
    return _Answer(response.url, response.status, response.reason or "", content_type, body)


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


def _failed(url: str, error: Exception) -> FetchFailed:
    return FetchFailed.internal(f"request to {url} failed, reason: {error}")


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
    reason = answer.reason or HTTPStatus(status).phrase
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


def _body_or_text(answer: _Answer) -> Any:
    try:
        return _body(answer)
    except FetchFailed:
        return answer.text
