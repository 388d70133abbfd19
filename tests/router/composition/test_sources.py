"""compose_files reads SDL files; fetch_sdl asks a subgraph for its SDL over HTTP."""

from __future__ import annotations

import json

import httpx
import pytest

from router.composition import compose_files
from router.composition.sources import fetch_sdl
from tests.router.composition.sdl import FIXTURES

SDL = (FIXTURES / "keys" / "orders.graphql").read_text()


def test_files_are_named_after_their_stem() -> None:
    # given
    paths = sorted((FIXTURES / "keys").glob("*.graphql"))
    urls = {"orders": "http://orders:4001/graphql", "shipments": "http://shipments:4002/graphql"}

    # when
    result = compose_files(paths, urls)

    # then
    assert result.errors == []
    assert result.supergraph_sdl is not None
    assert 'ORDERS @join__graph(name: "orders", url: "http://orders:4001/graphql")' in (
        result.supergraph_sdl
    )


async def test_sdl_is_fetched_with_the_service_query() -> None:
    # given
    seen: list[dict[str, str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"data": {"_service": {"sdl": SDL}}})

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))

    # when
    sdl = await fetch_sdl(client, "http://orders/graphql")

    # then
    assert sdl == SDL
    assert seen == [{"query": "{ _service { sdl } }"}]


async def test_answer_without_sdl_is_an_error() -> None:
    # given
    body = {"errors": [{"message": "Cannot query field '_service'"}]}
    client = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda _: httpx.Response(200, json=body))
    )

    # when / then
    with pytest.raises(ValueError, match=r"without _service\.sdl"):
        await fetch_sdl(client, "http://orders/graphql")
