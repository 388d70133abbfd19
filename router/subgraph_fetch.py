"""One GraphQL request to one subgraph over HTTP, failing the way Apollo's gateway does.

A request that gets no usable answer (connection refused, timeout, non-2xx status,
a body that is not a JSON object) raises ``FetchFailed`` holding the one client error
the gateway reports for it: no path, ``INTERNAL_SERVER_ERROR`` unless the status says
401 (``UNAUTHENTICATED``) or 403 (``FORBIDDEN``), and for a bad status the response's
url, status, statusText and body under ``extensions.response``.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from router.executor import ExecutionContext
    from router.plan import Fetch

STATUS_CODES = {401: "UNAUTHENTICATED", 403: "FORBIDDEN"}


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


async def post_operation(
    fetch: Fetch, context: ExecutionContext, variables: dict[str, Any]
) -> SubgraphResponse:
    url = context.subgraph_urls[fetch.service]
    payload = {"query": fetch.operation, "variables": variables}
    headers = {**context.headers, "accept": "application/json"}
    try:
        response = await context.client.post(
            url, json=payload, headers=headers, timeout=_time_left(context)
        )
    except httpx.TimeoutException as error:
        raise FetchFailed.internal(f"request to {url} failed, reason: timeout") from error
    except httpx.HTTPError as error:
        raise FetchFailed.internal(f"request to {url} failed, reason: {error}") from error
    if not response.is_success:
        raise FetchFailed(_status_error(response))
    return _decode(response)


def _time_left(context: ExecutionContext) -> float | None:
    if context.deadline is None:
        return None
    left = context.deadline - asyncio.get_running_loop().time()
    if left <= 0:
        raise FetchFailed.internal("request timed out before it was sent")
    return left


def _decode(response: httpx.Response) -> SubgraphResponse:
    body = _body(response)
    if not isinstance(body, dict):
        raise FetchFailed.internal(f"Expected JSON response body, but received: {response.text}")
    data = body.get("data")
    errors = body.get("errors")
    return SubgraphResponse(
        data if isinstance(data, dict) else None,
        [error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else [],
    )


def _body(response: httpx.Response) -> Any:
    """The JSON body when the content type says JSON (as the gateway reads it), else text."""
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith(("application/json", "application/graphql-response+json")):
        return response.text
    try:
        return response.json()
    except json.JSONDecodeError as error:
        raise FetchFailed.internal(f"invalid json response body at {response.url}") from error


def _status_error(response: httpx.Response) -> dict[str, Any]:
    status = response.status_code
    reason = response.reason_phrase or HTTPStatus(status).phrase
    extensions: dict[str, Any] = {
        "response": {
            "url": str(response.url),
            "status": status,
            "statusText": reason,
            "body": _body_or_text(response),
        }
    }
    extensions["code"] = STATUS_CODES.get(status, "INTERNAL_SERVER_ERROR")
    return {"message": f"{status}: {reason}", "extensions": extensions}


def _body_or_text(response: httpx.Response) -> Any:
    try:
        return _body(response)
    except FetchFailed:
        return response.text
