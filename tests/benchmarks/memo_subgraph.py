"""A fixture subgraph that is never the bottleneck: the fixture's own Strawberry schema
answers each distinct request body once, and the encoded answer is replayed after that.

The SDL and every answer are the fixture's (``tests/router/fixtures/benchmark_subgraphs``);
only the cost changes, from Strawberry's execution to a dict lookup in a bare ASGI app.

Usage: python -m tests.benchmarks.memo_subgraph NAME PORT [--strawberry]
(``--strawberry`` serves Strawberry's own ASGI view instead, to compare.)
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.federation import Schema

from tests.router.fixtures.benchmark_subgraphs import SCHEMAS

# Distinct bodies kept; the benchmark sends a handful, so this only bounds a misuse.
MAX_ANSWERS = 10_000
HEADERS = [(b"content-type", b"application/json")]


class Answers:
    """Encoded answers of one schema, keyed by the exact request body."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._answers: dict[bytes, bytes] = {}

    def answer(self, body: bytes) -> bytes:
        cached = self._answers.get(body)
        if cached is None:
            cached = json.dumps(self._execute(json.loads(body))).encode()
            if len(self._answers) < MAX_ANSWERS:
                self._answers[body] = cached
        return cached

    def _execute(self, request: dict[str, Any]) -> dict[str, Any]:
        result = self.schema.execute_sync(
            request["query"],
            variable_values=request.get("variables"),
            operation_name=request.get("operationName"),
            context_value={"request": None},
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        return body


class MemoSubgraph:
    """A bare ASGI app answering every POST with ``Answers``."""

    def __init__(self, schema: Schema) -> None:
        self.answers = Answers(schema)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http" or scope["method"] != "POST":
            await _respond(send, 405, b"")
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        await _respond(send, 200, self.answers.answer(body))


async def _respond(send: Send, status: int, content: bytes) -> None:
    headers = [*HEADERS, (b"content-length", str(len(content)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(SCHEMAS))
    parser.add_argument("port", type=int)
    parser.add_argument("--strawberry", action="store_true", help="serve Strawberry's view")
    args = parser.parse_args()
    schema = SCHEMAS[args.name]
    app: ASGIApp = GraphQL(schema, graphql_ide=None) if args.strawberry else MemoSubgraph(schema)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
