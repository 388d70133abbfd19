"""The router's HTTP edge: methods, media types, status codes, GraphiQL, health, headers."""

from __future__ import annotations

import httpx

from tests.router.conftest import Pair


async def test_health_answers_pass(benchmark_pair: Pair) -> None:
    async with httpx.AsyncClient() as client:
        # when
        response = await client.get(benchmark_pair.ours.removesuffix("/graphql") + "/health")
    # then
    assert (response.status_code, response.json()) == (200, {"status": "pass"})


async def test_browser_gets_graphiql(benchmark_pair: Pair) -> None:
    async with httpx.AsyncClient() as client:
        # when
        response = await client.get(benchmark_pair.ours, headers={"accept": "text/html"})
    # then
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_query_over_get(benchmark_pair: Pair) -> None:
    async with httpx.AsyncClient() as client:
        # when
        response = await client.get(benchmark_pair.ours, params={"query": "{ me { name } }"})
    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"me": {"name": "Ada Lovelace"}}}


async def test_mutation_over_get_is_refused_with_405(benchmark_pair: Pair) -> None:
    async with httpx.AsyncClient() as client:
        # when
        response = await client.get(benchmark_pair.ours, params={"query": "mutation { x }"})
    # then
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"] == {"code": "BAD_REQUEST"}


async def test_graphql_response_media_type_when_accepted(benchmark_pair: Pair) -> None:
    # given
    headers = {"accept": "application/graphql-response+json"}
    async with httpx.AsyncClient() as client:
        # when
        response = await client.post(benchmark_pair.ours, json={"query": "{"}, headers=headers)
    # then
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}


async def test_malformed_requests_are_400(benchmark_pair: Pair) -> None:
    # given
    bodies = [b"{bad", b"[]", b'{"query": "{ me { name } }", "variables": [1]}', b"{}"]
    async with httpx.AsyncClient() as client:
        # when
        responses = [
            await client.post(
                benchmark_pair.ours, content=body, headers={"content-type": "application/json"}
            )
            for body in bodies
        ]
    # then
    assert [r.status_code for r in responses] == [400] * 4
    assert {r.json()["errors"][0]["extensions"]["code"] for r in responses} == {"BAD_REQUEST"}


async def test_authorization_is_forwarded_to_subgraphs(benchmark_pair: Pair) -> None:
    # given
    headers = {"authorization": "Bearer abc", "x-other": "not forwarded"}
    async with httpx.AsyncClient() as client:
        # when
        response = await client.post(
            benchmark_pair.ours, json={"query": "{ authorization }"}, headers=headers
        )
    # then
    assert response.json() == {"data": {"authorization": "Bearer abc"}}
