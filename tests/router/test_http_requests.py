"""The router's bare ASGI /graphql endpoint: what it refuses and how it picks the media
type (the rest of the edge is in ``test_http_edge``)."""

from __future__ import annotations

import httpx
import pytest

from tests.router.conftest import Pair

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_charset_other_than_utf8_is_415(benchmark_pair: Pair) -> None:
    # given
    headers = {"content-type": "application/json; charset=latin-1"}
    async with httpx.AsyncClient() as client:
        # when
        response = await client.post(benchmark_pair.ours, content=b"{}", headers=headers)
    # then
    assert response.status_code == 415
    assert response.json() == {
        "errors": [
            {
                "message": "Unsupported charset in 'application/json; charset=latin-1'.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ]
    }


async def test_get_with_variables_that_are_not_json_is_400(benchmark_pair: Pair) -> None:
    # given
    params = {"query": "{ me { name } }", "variables": "{bad"}
    async with httpx.AsyncClient() as client:
        # when
        response = await client.get(benchmark_pair.ours, params=params)
    # then
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": "`variables` in a GET request should be JSON.",
            "extensions": {"code": "BAD_REQUEST"},
        }
    ]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (f"application/json, {GRAPHQL_RESPONSE}", "application/json"),
        (f"{GRAPHQL_RESPONSE}, application/json", GRAPHQL_RESPONSE),
        ("*/*", "application/json"),
    ],
)
async def test_first_accepted_json_media_type_is_answered(
    benchmark_pair: Pair, accept: str, media_type: str
) -> None:
    async with httpx.AsyncClient() as client:
        # when
        response = await client.post(
            benchmark_pair.ours, json={"query": "{ me { name } }"}, headers={"accept": accept}
        )
    # then
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.json() == {"data": {"me": {"name": "Ada Lovelace"}}}


async def test_other_methods_are_405(benchmark_pair: Pair) -> None:
    async with httpx.AsyncClient() as client:
        # when
        response = await client.put(benchmark_pair.ours, json={"query": "{ me { name } }"})
    # then
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
